package dev.pipewright.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineGraphTest {
    private final PipewrightConfig config = ConfigLoader.parse("""
            providers:
              sim: {kind: simulated}
            models:
              chat: {provider: sim, model: sim-chat-2025-01-01, fallbacks: [backup]}
              backup: {provider: sim, model: sim-backup-2025-01-01}
            pipelines:
              p:
                steps:
                  late: {model: chat, needs: [middle, early], prompt: "c"}
                  early: {model: chat, prompt: "<a>"}
                  middle: {model: backup, needs: [early], prompt: "b", optional: true}
            """, "test.yaml");

    @Test
    void a_step_sits_one_column_right_of_the_deepest_step_it_needs() {
        assertThat(PipelineGraph.depths(config.pipelines().get("p")))
                .isEqualTo(Map.of("early", 0, "middle", 1, "late", 2));
    }

    @Test
    void the_graph_names_each_steps_pinned_model_and_fallbacks_and_draws_each_need() {
        // when
        String svg = PipelineGraph.svg(config.pipelines().get("p"), config::model);

        // then
        assertThat(svg)
                .contains("sim · sim-chat-2025-01-01", "fallbacks: backup", "no fallback")
                .contains("class=\"step optional\" data-step=\"middle\"");
        assertThat(svg.split("class=\"edge\"", -1)).hasSize(4);
    }
}
