package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.RequestScope;
import dev.pipewright.model.ModelClient;
import org.junit.jupiter.api.Test;

class EngineReloadTest {

    private static PipewrightConfig config(String changedLatency) {
        return ConfigLoader.parse("""
                providers:
                  steady: {kind: simulated}
                  changing: {kind: simulated}
                models:
                  kept: {provider: steady, model: kept-1, simulation: {latency: 5ms}}
                  changed: {provider: changing, model: changed-1, simulation: {latency: %s}}
                """.formatted(changedLatency), "test.yaml");
    }

    @Test
    void a_request_in_flight_keeps_the_replaced_client_and_the_unchanged_model_keeps_its_client() {
        // given: a request pinned before the reload
        try (Engine engine = Engine.start(config("5ms"))) {
            ModelClient steady = engine.generation().client("steady");
            ModelClient changing = engine.generation().client("changing");
            try (RequestScope.Scope pinned = engine.pin()) {

                // when: the reload changes one model
                Generation next = engine.swap(config("50ms"));

                // then
                assertThat(engine.generation().client("changing")).isSameAs(changing);
                assertThat(next.client("changing")).isNotSameAs(changing);
                assertThat(next.client("steady")).isSameAs(steady);
            }
            assertThat(engine.generation().client("steady")).isSameAs(steady);
            assertThat(engine.generation().client("changing")).isNotSameAs(changing);
        }
    }
}
