package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.ConfigAdmin.ReloadOutcome;
import dev.pipewright.gateway.RequestScope;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadsTest {
    private static final String KEY_HASH = "sha256:" + "ab".repeat(32);
    private static final String BASE = """
            storage: {url: "jdbc:postgresql://db.internal/pipewright?user=app&password=hunter2"}
            providers:
              sim: {kind: simulated}
              other: {kind: simulated}
            models:
              chat: {provider: sim, model: sim-chat-2025-01-01}
              spare: {provider: other, model: sim-spare-2025-01-01}
            pipelines:
              echo:
                steps:
                  first: {model: chat, prompt: "One: {{input.text}}"}
            tenants:
              acme: {api_keys: ["%s"], rpm: 60}
            """.formatted(KEY_HASH);

    @TempDir
    Path folder;

    private Path file;
    private Engine engine;
    private ConfigReloads reloads;

    @BeforeEach
    void start() throws Exception {
        file = Files.writeString(folder.resolve("pipewright.yaml"), BASE);
        engine = Engine.start(ConfigLoader.load(file));
        reloads = new ConfigReloads(engine, file, UnaryOperator.identity(), Clock.system());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void a_valid_file_is_swapped_in_with_a_summary_of_what_changed() throws Exception {
        // given
        Files.writeString(
                file,
                BASE.replace("sim-spare-2025-01-01", "sim-spare-2025-06-01")
                        .replace(
                                "\ntenants:",
                                "\n  summary:\n    steps:\n      only: {model: chat, prompt: \"Sum\"}\ntenants:")
                        .replace(
                                "  spare: {provider",
                                "  extra: {provider: sim, model: sim-extra-2025-01-01}\n  spare: {provider"));

        // when
        ReloadOutcome outcome = reloads.reload("master");

        // then
        assertThat(outcome).isInstanceOf(ReloadOutcome.Applied.class);
        JsonNode summary = ((ReloadOutcome.Applied) outcome).summary();
        assertThat(summary.path("generation").asLong()).isEqualTo(2);
        assertThat(summary.path("by").asText()).isEqualTo("master");
        assertThat(summary.path("sha256").asText()).hasSize(64);
        assertThat(summary.at("/changes/models/added").toString()).contains("extra");
        assertThat(summary.at("/changes/models/changed").toString()).contains("spare");
        assertThat(summary.at("/changes/pipelines/added").toString()).contains("summary");
        assertThat(summary.at("/changes/tenants/changed")).isEmpty();
        assertThat(engine.config().pipelines()).containsKeys("echo", "summary");
    }

    @Test
    void the_client_of_a_provider_whose_definition_did_not_change_is_kept() throws Exception {
        // given
        ModelClient simBefore = engine.generation().client("sim");
        ModelClient otherBefore = engine.generation().client("other");
        Files.writeString(file, BASE.replace("sim-spare-2025-01-01", "sim-spare-2025-06-01"));

        // when
        reloads.reload("master");

        // then: the simulator's client is built from its models, so only the one with a changed model is new
        assertThat(engine.generation().client("sim")).isSameAs(simBefore);
        assertThat(engine.generation().client("other")).isNotSameAs(otherBefore);
    }

    @Test
    void an_invalid_file_keeps_the_running_configuration_and_reports_every_problem() throws Exception {
        // given
        PipewrightConfig running = engine.config();
        Files.writeString(
                file,
                BASE.replace("model: sim-chat-2025-01-01", "model: sim-chat-2025-01-01, timeout: soon")
                        .replace("{model: chat, prompt", "{model: missing, prompt"));

        // when
        ReloadOutcome outcome = reloads.reload("signal:SIGHUP");

        // then
        assertThat(outcome).isInstanceOf(ReloadOutcome.Rejected.class);
        assertThat(((ReloadOutcome.Rejected) outcome).problems())
                .hasSize(2)
                .anySatisfy(problem -> assertThat(problem).startsWith("models.chat.timeout"))
                .anySatisfy(problem -> assertThat(problem).contains("missing"));
        assertThat(engine.config()).isSameAs(running);
        assertThat(engine.generation().number()).isEqualTo(1);
        assertThat(reloads.describe().at("/reloads/0/outcome").asText()).isEqualTo("rejected");
    }

    @Test
    void a_request_in_flight_keeps_the_generation_it_started_on() throws Exception {
        // given
        PipewrightConfig before = engine.config();
        Files.writeString(file, BASE.replace("One: ", "Uno: "));

        // when
        try (RequestScope.Scope pinned = engine.pin()) {
            reloads.reload("master");

            // then
            assertThat(engine.config()).isSameAs(before);
        }
        assertThat(engine.config()).isNotSameAs(before);
        assertThat(engine.config()
                        .pipelines()
                        .get("echo")
                        .steps()
                        .getFirst()
                        .prompt()
                        .orElseThrow())
                .contains("Uno: ");
    }

    @Test
    void the_config_shown_to_an_admin_holds_no_key_hash_password_or_query() throws Exception {
        // when
        String shown = reloads.describe().toString();

        // then
        assertThat(shown).doesNotContain(KEY_HASH.substring(7), "hunter2", "password", "user=app");
        assertThat(reloads.describe().at("/config/tenants/acme/api_keys").asInt())
                .isEqualTo(1);
        assertThat(reloads.describe().at("/config/storage/url").asText())
                .isEqualTo("jdbc:postgresql://db.internal/pipewright");
    }

    @Test
    void a_watch_that_sees_the_same_content_again_does_not_reload() throws Exception {
        // given
        Files.writeString(file, BASE);

        // when
        reloads.reloadIfChanged("file-watch");

        // then
        assertThat(engine.generation().number()).isEqualTo(1);
        assertThat(reloads.history()).isEmpty();
    }
}
