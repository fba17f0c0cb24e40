package dev.pipewright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {
    private static final String BASE = """
            providers:
              sim: {kind: simulated}
            models:
              chat: {provider: sim, model: sim-chat}
            pipelines:
              summarize:
                steps:
                  first: {model: chat, prompt: "Sum: {{input.text}}"}
            """;

    @Test
    void the_in_flight_limit_is_the_configured_one_or_follows_the_heap() {
        // given
        PipewrightConfig configured = ConfigLoader.parse(BASE + "server: {max_in_flight: 2000}\n", "test.yaml");
        PipewrightConfig sized = ConfigLoader.parse(BASE, "test.yaml");
        long mebibyte = 1024 * 1024;

        // then
        assertThat(configured.server().inFlightLimit(512 * mebibyte)).isEqualTo(2000);
        assertThat(sized.server().inFlightLimit(512 * mebibyte)).isEqualTo(4096);
        assertThat(sized.server().inFlightLimit(1024 * mebibyte)).isEqualTo(8192);
        assertThat(sized.server().inFlightLimit(4 * mebibyte)).isEqualTo(64);
    }

    @Test
    void a_negative_in_flight_limit_is_refused_with_its_value() {
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "server: {max_in_flight: -5}\n", "test.yaml"))
                .hasMessageContaining("max_in_flight must be 0 (sized to the heap) or more, but was -5");
    }

    @Test
    void server_queues_and_schedules_are_read_with_their_defaults() {
        // when
        PipewrightConfig config = ConfigLoader.parse(BASE + """
                server: {drain_timeout: 45s, watch_config: true}
                queues:
                  max_running_per_tenant: 16
                  tenants:
                    acme: {max_running: 4, share: 2}
                schedules:
                  nightly:
                    cron: "0 2 * * *"
                    zone: Europe/Paris
                    pipeline: summarize
                    input: {folder: ./inbox}
                    missed: run-once
                  hourly:
                    cron: "@hourly"
                    pipeline: summarize
                    tenant: acme
                    input: {fixed: {text: "status report"}}
                """, "test.yaml");

        // then
        assertThat(config.server().drainTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.server().watchConfig()).isTrue();
        assertThat(config.queues().maxRunning("acme")).isEqualTo(OptionalInt.of(4));
        assertThat(config.queues().maxRunning("globex")).isEqualTo(OptionalInt.of(16));
        assertThat(config.queues().share("acme")).isEqualTo(2);
        ScheduleConfig nightly = config.schedules().get("nightly");
        assertThat(nightly.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(nightly.tenant()).isEqualTo("default");
        assertThat(nightly.input()).isEqualTo(new ScheduleConfig.Input.Folder(Path.of("./inbox")));
        assertThat(nightly.missed()).isEqualTo(ScheduleConfig.MissedFires.RUN_ONCE);
        ScheduleConfig hourly = config.schedules().get("hourly");
        assertThat(hourly.missed()).isEqualTo(ScheduleConfig.MissedFires.SKIP);
        assertThat(hourly.input())
                .isInstanceOfSatisfying(
                        ScheduleConfig.Input.Fixed.class,
                        fixed -> assertThat(fixed.input().path("text").asText()).isEqualTo("status report"));
    }

    @Test
    void every_schedule_problem_is_reported_with_its_path() {
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + """
                        schedules:
                          broken:
                            cron: "0 25 * * *"
                            zone: Mars/Olympus
                            pipeline: unknown
                            input: {folder: ./a, jsonl: ./b.jsonl}
                            missed: later
                        """, "test.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        failure -> assertThat(failure.problems())
                                .extracting(ConfigProblem::path)
                                .containsExactlyInAnyOrder(
                                        "schedules.broken.cron",
                                        "schedules.broken.zone",
                                        "schedules.broken.pipeline",
                                        "schedules.broken.input",
                                        "schedules.broken.missed"));
    }
}
