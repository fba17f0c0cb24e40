package dev.pipewright.pipeline;

import static dev.pipewright.pipeline.Fixtures.chat;
import static dev.pipewright.pipeline.Fixtures.needs;
import static dev.pipewright.pipeline.Fixtures.pipeline;
import static dev.pipewright.pipeline.Fixtures.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.config.PipelineConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelinePlanTest {

    @Test
    void orders_steps_after_the_steps_they_need() {
        // given
        PipelineConfig pipeline =
                pipeline(needs(chat("c", "m", "x"), "b", "a"), needs(chat("b", "m", "x"), "a"), chat("a", "m", "x"));

        // when
        PipelinePlan plan = PipelinePlan.compile(pipeline);

        // then
        assertThat(plan.order()).containsExactly(2, 1, 0);
        assertThat(plan.step(2).dependents()).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void rejects_a_cycle_naming_its_steps() {
        // given
        PipelineConfig pipeline = pipeline(
                chat("start", "m", "x"),
                needs(chat("x", "m", "x"), "start", "z"),
                needs(chat("y", "m", "x"), "x"),
                needs(chat("z", "m", "x"), "y"));

        // when / then
        assertThatThrownBy(() -> PipelinePlan.compile(pipeline))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pipeline 'analyze' has a cycle of needs among steps [x, y, z]");
    }

    @Test
    void rejects_an_unknown_need_a_duplicate_step_and_an_output_of_no_step() {
        assertThatThrownBy(() -> PipelinePlan.compile(pipeline(needs(chat("a", "m", "x"), "ghost"))))
                .hasMessage("step 'a' of pipeline 'analyze' needs unknown step 'ghost'");
        assertThatThrownBy(() -> PipelinePlan.compile(pipeline(chat("a", "m", "x"), chat("a", "m", "y"))))
                .hasMessage("pipeline 'analyze' has two steps named 'a'");
        assertThatThrownBy(() -> PipelinePlan.compile(pipeline(List.of(chat("a", "m", "x")), Map.of("out", "b"))))
                .hasMessage("pipeline 'analyze' output 'out' names unknown step 'b'");
    }

    @Test
    void rejects_a_template_or_condition_that_reads_a_step_it_does_not_need() {
        // given
        PipelineConfig readsUnneeded = pipeline(chat("a", "m", "x"), chat("b", "m", "{{steps.a.text}}"));
        PipelineConfig conditionOnUnneeded = pipeline(chat("a", "m", "x"), when(chat("b", "m", "y"), "steps.a.text"));
        PipelineConfig readsThroughNeeds = pipeline(
                chat("a", "m", "x"), needs(chat("b", "m", "y"), "a"), needs(chat("c", "m", "{{steps.a.text}}"), "b"));

        // when / then
        assertThatThrownBy(() -> PipelinePlan.compile(readsUnneeded))
                .hasMessageContaining("step 'b' of pipeline 'analyze' reads steps.a.text but does not need 'a'");
        assertThatThrownBy(() -> PipelinePlan.compile(conditionOnUnneeded)).hasMessageContaining("does not need 'a'");
        assertThatCode(() -> PipelinePlan.compile(readsThroughNeeds)).doesNotThrowAnyException();
    }

    @Test
    void names_the_step_of_a_bad_template() {
        assertThatThrownBy(() -> PipelinePlan.compile(pipeline(chat("a", "m", "{{input.x"))))
                .hasMessageStartingWith("step 'a' of pipeline 'analyze': unclosed '{{'");
    }

    @Test
    void requires_input_only_for_steps_that_always_run() {
        // given: b has a when, and c needs b, so only a's path is required
        PipelinePlan plan = PipelinePlan.compile(pipeline(
                chat("a", "m", "{{input.text}}"),
                when(chat("b", "m", "{{input.image}}"), "input.image"),
                needs(chat("c", "m", "{{input.caption}} {{steps.b.text}}"), "b")));

        // when / then
        assertThatCode(() -> plan.requireInputs(Harness.json("{\"text\": \"t\"}")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> plan.requireInputs(Harness.json("{\"text\": null}")))
                .isInstanceOfSatisfying(
                        PipelineInputException.class,
                        e -> assertThat(e.paths()).containsExactly("input.text (step 'a')"));
    }
}
