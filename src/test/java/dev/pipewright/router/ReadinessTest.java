package dev.pipewright.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    private static final PipewrightConfig CONFIG = ConfigLoader.parse("""
            providers:
              sim: {kind: simulated}
            models:
              primary: {provider: sim, model: p-1, fallbacks: [backup]}
              backup: {provider: sim, model: b-1}
              vision: {provider: sim, model: v-1}
            pipelines:
              analyze:
                steps:
                  answer: {model: primary, prompt: "{{input.text}}"}
                  look: {model: vision, prompt: "describe", optional: true}
            """, "t.yaml");

    private final Map<String, String> circuits = new HashMap<>();
    private final ModelHealth health = new ModelHealth();
    private final Readiness readiness =
            new Readiness(() -> CONFIG, health, alias -> circuits.getOrDefault(alias, "closed"));

    @Test
    void is_ready_when_every_circuit_is_closed() {
        // when
        Readiness.Report report = readiness.report();

        // then
        assertThat(report.ready()).isTrue();
        assertThat(report.models())
                .extracting(Readiness.ModelStatus::alias)
                .containsExactly("primary", "backup", "vision");
        assertThat(report.blocking()).isEmpty();
    }

    @Test
    void a_required_model_down_with_its_fallback_up_is_served_by_the_fallback() {
        // given
        circuits.put("primary", "open");

        // when
        Readiness.Report report = readiness.report();

        // then
        assertThat(report.ready()).isTrue();
        assertThat(report.models().getFirst().servedBy()).hasValue("backup");
        assertThat(report.models().getFirst().available()).isFalse();
    }

    @Test
    void a_required_model_down_with_no_fallback_up_makes_the_service_unready() {
        // given
        circuits.put("primary", "open");
        circuits.put("backup", "open");

        // when
        Readiness.Report report = readiness.report();

        // then
        assertThat(report.ready()).isFalse();
        assertThat(report.blocking()).isEqualTo(List.of("primary", "backup"));
    }

    @Test
    void a_model_only_optional_steps_use_does_not_block_readiness() {
        // given
        circuits.put("vision", "open");

        // when
        Readiness.Report report = readiness.report();

        // then
        assertThat(report.ready()).isTrue();
        assertThat(report.models().getLast().optional()).isTrue();
    }

    @Test
    void a_half_open_circuit_counts_as_available() {
        // given
        circuits.put("backup", "half_open");

        // when / then
        assertThat(readiness.report().models().get(1).available()).isTrue();
    }

    @Test
    void reports_what_calls_have_shown() {
        // given
        Instant at = Instant.parse("2026-01-01T10:00:00Z");
        health.recordSuccess("backup", at, Duration.ofMillis(5));
        health.recordFailure("backup", at.plusSeconds(1), "timeout");

        // when
        Readiness.ModelStatus backup = readiness.report().models().get(1);

        // then
        assertThat(backup.lastSuccess()).hasValue(at);
        assertThat(backup.lastFailure()).hasValue(at.plusSeconds(1));
        assertThat(backup.lastError()).hasValue("timeout");
    }
}
