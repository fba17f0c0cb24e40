package dev.pipewright.pipeline;

import static dev.pipewright.pipeline.Fixtures.chat;
import static dev.pipewright.pipeline.Fixtures.needs;
import static dev.pipewright.pipeline.Fixtures.optional;
import static dev.pipewright.pipeline.Fixtures.pipeline;
import static dev.pipewright.pipeline.ScriptedModelClient.failure;
import static dev.pipewright.pipeline.ScriptedModelClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.config.PipelineConfig;
import dev.pipewright.model.ModelError;
import dev.pipewright.telemetry.PipelineObserver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PipelineObserverTest {
    /** Remembers what it was told, and on which thread each step started and ended. */
    private static final class RecordingObserver implements PipelineObserver {
        final List<String> runs = new CopyOnWriteArrayList<>();
        final Map<String, String> steps = new ConcurrentHashMap<>();
        final Map<String, Boolean> sameThread = new ConcurrentHashMap<>();

        @Override
        public Run runStarted(String pipeline, String tenant, String requestId) {
            runs.add("started " + pipeline + " for " + tenant + " " + requestId);
            return new Run() {
                @Override
                public Step stepStarted(String step, String model) {
                    Thread started = Thread.currentThread();
                    return outcome -> {
                        steps.put(step + " (" + model + ")", outcome);
                        sameThread.put(step, started == Thread.currentThread());
                    };
                }

                @Override
                public void ended(String outcome) {
                    runs.add("ended " + outcome);
                }
            };
        }
    }

    private final RecordingObserver observer = new RecordingObserver();
    private final Harness harness = new Harness(observer);

    @Test
    void the_observer_sees_each_step_end_on_its_own_thread_and_the_run_end_degraded() {
        // given
        harness.chatModel("classifier", text("legal"));
        harness.chatModel("vision", failure(new ModelError.Unavailable("down", 503, Optional.empty())));
        harness.chatModel("writer", text("never asked"));
        PipelineConfig pipeline = pipeline(
                List.of(
                        chat("classify", "classifier", "Classify"),
                        optional(chat("vision", "vision", "Describe")),
                        needs(chat("caption", "writer", "Caption {{steps.vision.text}}"), "vision")),
                Map.of("classification", "classify"));

        // when
        harness.run(pipeline, "{}");

        // then: the skipped caption never started, so it is not observed as a step
        assertThat(observer.runs).containsExactly("started " + pipeline.name() + " for acme req-1", "ended degraded");
        assertThat(observer.steps)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("classify (classifier)", "succeeded", "vision (vision)", "degraded"));
        assertThat(observer.sameThread).containsOnly(Map.entry("classify", true), Map.entry("vision", true));
    }

    @Test
    void a_required_step_that_fails_ends_the_run_failed() {
        // given
        harness.chatModel("classifier", failure(new ModelError.InvalidRequest("no")));
        PipelineConfig pipeline = pipeline(chat("classify", "classifier", "Classify"));

        // when
        assertThatThrownBy(() -> harness.run(pipeline, "{}")).isInstanceOf(PipelineFailedException.class);

        // then
        assertThat(observer.steps).containsExactly(Map.entry("classify (classifier)", "failed"));
        assertThat(observer.runs).last().isEqualTo("ended failed");
    }

    @Test
    void a_run_refused_for_its_input_ends_invalid_input() {
        // given
        harness.chatModel("classifier", text("x"));
        PipelineConfig pipeline = pipeline(chat("classify", "classifier", "Classify {{input.text}}"));

        // when
        assertThatThrownBy(() -> harness.run(pipeline, "{}")).isInstanceOf(PipelineInputException.class);

        // then
        assertThat(observer.steps).isEmpty();
        assertThat(observer.runs).last().isEqualTo("ended invalid_input");
    }
}
