package dev.pipewright.pipeline;

import static dev.pipewright.pipeline.Fixtures.chat;
import static dev.pipewright.pipeline.Fixtures.embed;
import static dev.pipewright.pipeline.Fixtures.needs;
import static dev.pipewright.pipeline.Fixtures.optional;
import static dev.pipewright.pipeline.Fixtures.pipeline;
import static dev.pipewright.pipeline.Fixtures.when;
import static dev.pipewright.pipeline.ScriptedModelClient.failure;
import static dev.pipewright.pipeline.ScriptedModelClient.hang;
import static dev.pipewright.pipeline.ScriptedModelClient.text;
import static dev.pipewright.pipeline.ScriptedModelClient.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.pipewright.config.ModelType;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.Price;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PipelineExecutorTest {
    private final Harness harness = new Harness();

    @Test
    void independent_steps_run_in_parallel() {
        // given: each step's model waits until the other has started, which only parallel steps can satisfy
        CountDownLatch aStarted = new CountDownLatch(1);
        CountDownLatch bStarted = new CountDownLatch(1);
        harness.chatModel("a", (request, options) -> {
            aStarted.countDown();
            bStarted.await();
            return text("A").answer(request, options);
        });
        harness.chatModel("b", (request, options) -> {
            bStarted.countDown();
            aStarted.await();
            return text("B").answer(request, options);
        });
        PipelineConfig pipeline = pipeline(chat("a", "a", "x"), chat("b", "b", "y"));

        // when
        CompletableFuture<PipelineResult> run = harness.runAsync(pipeline, "{}");

        // then
        await().until(run::isDone);
        assertThat(run.join().steps().values()).allMatch(step -> step.status() == StepStatus.SUCCEEDED);
        List<String> events = harness.client.events();
        assertThat(events.subList(0, 2)).containsExactlyInAnyOrder("start a-v1", "start b-v1");
    }

    @Test
    void a_step_starts_after_its_needs_finished_and_sees_their_output() {
        // given
        harness.chatModel("classifier", text("legal"));
        harness.chatModel("analyst", text("an analysis"));
        PipelineConfig pipeline = pipeline(
                needs(
                        chat("analysis", "analyst", "Provide a {{ steps.classify.text }} analysis of: {{input.text}}"),
                        "classify"),
                chat("classify", "classifier", "Classify: {{input.text}}"));

        // when
        PipelineResult result = harness.run(pipeline, "{\"text\": \"the contract\"}");

        // then
        assertThat(harness.client.events())
                .containsExactly("start classifier-v1", "end classifier-v1", "start analyst-v1", "end analyst-v1");
        assertThat(promptOf(harness.client.calls().get(1).request()))
                .isEqualTo("Provide a legal analysis of: the contract");
        assertThat(result.steps().keySet()).containsExactly("analysis", "classify");
        assertThat(result.steps().get("analysis").startedAt())
                .isGreaterThanOrEqualTo(result.steps().get("classify").finishedAt());
    }

    @Test
    void chat_steps_send_system_prompt_image_and_options_and_embedding_steps_their_input() {
        // given
        harness.chatModel("vision", text("a cat"));
        harness.model(Fixtures.model("embedder", ModelType.EMBEDDING, Optional.empty()), vector(0.5f));
        PipelineConfig pipeline = pipeline(
                Fixtures.withSystemAndImage(
                        chat("look", "vision", "What is in {{input.name}}?"), "Be brief.", "{{input.image}}"),
                embed("embedding", "embedder", "{{input.name}}"));

        // when
        harness.run(pipeline, "{\"name\": \"photo.png\", \"image\": \"https://img.example/cat.png\"}");

        // then
        ModelRequest.Chat chat = (ModelRequest.Chat) requestTo("vision-v1");
        assertThat(chat.messages())
                .containsExactly(
                        ChatMessage.system("Be brief."),
                        new ChatMessage(
                                ChatMessage.Role.USER,
                                List.of(
                                        new ContentPart.Text("What is in photo.png?"),
                                        new ContentPart.Image("https://img.example/cat.png"))));
        assertThat(chat.maxTokens()).hasValue(256);
        assertThat(chat.temperature()).hasValue(0.2);
        assertThat(requestTo("embedder-v1")).isEqualTo(new ModelRequest.Embedding(List.of("photo.png")));
    }

    @Test
    void an_image_that_renders_empty_is_left_out() {
        // given
        harness.chatModel("vision", text("no image"));
        PipelineConfig pipeline =
                pipeline(Fixtures.withSystemAndImage(chat("look", "vision", "Describe"), "sys", "{{input.image}}"));

        // when
        harness.run(pipeline, "{}");

        // then
        ModelRequest.Chat chat = (ModelRequest.Chat) requestTo("vision-v1");
        assertThat(chat.messages().get(1).content()).containsExactly(new ContentPart.Text("Describe"));
    }

    @Test
    void each_model_call_has_the_idempotency_key_of_request_and_step() {
        // given
        harness.chatModel("a", text("A"));
        PipelineConfig pipeline = pipeline(chat("first", "a", "x"), chat("second", "a", "y"));

        // when
        harness.run(pipeline, "{}");

        // then
        assertThat(harness.client.calls())
                .extracting(ScriptedModelClient.Call::idempotencyKey)
                .containsExactlyInAnyOrder("req-1:first", "req-1:second");
    }

    @Test
    void a_missing_input_path_is_a_request_error_before_any_model_is_called() {
        // given
        harness.chatModel("a", text("A"));
        PipelineConfig pipeline = pipeline(chat("first", "a", "x"), chat("classify", "a", "Classify {{input.text}}"));

        // when / then
        assertThatThrownBy(() -> harness.run(pipeline, "{\"other\": 1}"))
                .isInstanceOfSatisfying(
                        PipelineInputException.class,
                        e -> assertThat(e.paths()).containsExactly("input.text (step 'classify')"))
                .hasMessageContaining("input.text");
        assertThat(harness.client.calls()).isEmpty();
    }

    @Test
    void a_step_with_a_when_renders_a_missing_input_path_as_empty() {
        // given
        harness.chatModel("a", text("A"));
        PipelineConfig pipeline = pipeline(when(chat("greet", "a", "Hello {{input.name}}!"), "input.enabled"));

        // when
        harness.run(pipeline, "{\"enabled\": true}");

        // then
        assertThat(promptOf(requestTo("a-v1"))).isEqualTo("Hello !");
    }

    @Test
    void a_step_whose_condition_is_false_is_skipped_with_its_dependents_and_the_run_is_not_degraded() {
        // given
        harness.chatModel("vision", text("a cat"));
        harness.chatModel("writer", text("a story"));
        PipelineConfig pipeline = pipeline(
                List.of(
                        when(chat("vision", "vision", "Describe {{input.image}}"), "input.image"),
                        needs(chat("story", "writer", "Write about {{steps.vision.text}}"), "vision")),
                Map.of("vision", "vision", "story", "story"));

        // when
        PipelineResult result = harness.run(pipeline, "{\"text\": \"no image here\"}");

        // then
        assertThat(harness.client.calls()).isEmpty();
        assertThat(result.steps().get("vision").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(result.steps().get("vision").reason()).hasValue("when 'input.image' is false");
        assertThat(result.steps().get("story").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(result.steps().get("story").reason()).hasValue("needs skipped step 'vision'");
        assertThat(result.degraded()).isEmpty();
        assertThat(result.results()).containsEntry("vision", NullNode.getInstance());
    }

    @Test
    void an_optional_step_failure_degrades_the_run_and_skips_its_dependents() {
        // given
        harness.chatModel("classifier", text("legal"));
        harness.chatModel("vision", failure(new ModelError.Unavailable("provider down", 503, Optional.empty())));
        harness.chatModel("writer", text("never asked"));
        PipelineConfig pipeline = pipeline(
                List.of(
                        chat("classify", "classifier", "Classify"),
                        optional(chat("vision", "vision", "Describe")),
                        needs(chat("caption", "writer", "Caption {{steps.vision.text}}"), "vision")),
                Map.of("classification", "classify", "vision", "vision"));

        // when
        PipelineResult result = harness.run(pipeline, "{}");

        // then
        assertThat(result.degraded())
                .containsExactly(
                        new Degradation("vision", "unavailable: provider down"),
                        new Degradation("caption", "needs degraded step 'vision'"));
        assertThat(result.steps().get("vision").status()).isEqualTo(StepStatus.DEGRADED);
        assertThat(result.steps().get("vision").attempts()).hasSize(1);
        assertThat(result.steps().get("caption").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(result.results().get("classification").textValue()).isEqualTo("legal");
        assertThat(result.results().get("vision").isNull()).isTrue();
        assertThat(harness.client.calls())
                .extracting(ScriptedModelClient.Call::model)
                .doesNotContain("writer-v1");
    }

    @Test
    void a_failure_of_a_required_step_fails_the_run_and_interrupts_the_running_steps() {
        // given: b is running (and would never answer) when a fails
        CountDownLatch bStarted = new CountDownLatch(1);
        harness.chatModel("a", (request, options) -> {
            bStarted.await();
            return failure(new ModelError.InvalidRequest("bad prompt")).answer(request, options);
        });
        harness.chatModel("b", (request, options) -> {
            bStarted.countDown();
            return hang().answer(request, options);
        });
        harness.chatModel("c", text("never asked"));
        PipelineConfig pipeline = pipeline(chat("a", "a", "x"), chat("b", "b", "y"), needs(chat("c", "c", "z"), "a"));

        // when / then
        assertThatThrownBy(() -> harness.run(pipeline, "{}"))
                .isInstanceOfSatisfying(PipelineFailedException.class, e -> {
                    assertThat(e.step()).isEqualTo("a");
                    assertThat(e.error()).isEqualTo(new ModelError.InvalidRequest("bad prompt"));
                    assertThat(e.partial().steps()).containsOnlyKeys("a");
                    assertThat(e.partial().steps().get("a").status()).isEqualTo(StepStatus.FAILED);
                });
        assertThat(harness.client.interrupted()).containsExactly("b-v1");
        assertThat(harness.client.calls())
                .extracting(ScriptedModelClient.Call::model)
                .doesNotContain("c-v1");
    }

    @Test
    void a_passed_deadline_cancels_the_outstanding_steps_and_fails_the_run() {
        // given: a takes 20s of the pipeline's 15s while b is running and c waits for a
        CountDownLatch bStarted = new CountDownLatch(1);
        harness.chatModel("a", (request, options) -> {
            bStarted.await();
            harness.clock.advance(Duration.ofSeconds(20));
            return text("late").answer(request, options);
        });
        harness.chatModel("b", (request, options) -> {
            bStarted.countDown();
            return hang().answer(request, options);
        });
        harness.chatModel("c", text("never asked"));
        PipelineConfig pipeline = pipeline(chat("a", "a", "x"), chat("b", "b", "y"), needs(chat("c", "c", "z"), "a"));

        // when / then
        assertThatThrownBy(() -> harness.run(pipeline, "{}"))
                .isInstanceOfSatisfying(PipelineFailedException.class, e -> {
                    assertThat(e.step()).isEqualTo("b");
                    assertThat(e.error()).isInstanceOf(ModelError.DeadlineExceeded.class);
                    assertThat(e.partial().steps().get("a").status()).isEqualTo(StepStatus.SUCCEEDED);
                    assertThat(e.partial().steps().get("c").status()).isEqualTo(StepStatus.FAILED);
                });
        assertThat(harness.client.interrupted()).containsExactly("b-v1");
        assertThat(harness.client.calls())
                .extracting(ScriptedModelClient.Call::model)
                .doesNotContain("c-v1");
    }

    @Test
    void a_passed_deadline_degrades_optional_steps_still_running() {
        // given
        CountDownLatch bStarted = new CountDownLatch(1);
        harness.chatModel("a", (request, options) -> {
            bStarted.await();
            harness.clock.advance(Duration.ofSeconds(20));
            return text("late but done").answer(request, options);
        });
        harness.chatModel("b", (request, options) -> {
            bStarted.countDown();
            return hang().answer(request, options);
        });
        PipelineConfig pipeline = pipeline(chat("a", "a", "x"), optional(chat("b", "b", "y")));

        // when
        PipelineResult result = harness.run(pipeline, "{}");

        // then
        assertThat(result.steps().get("a").status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(result.steps().get("b").status()).isEqualTo(StepStatus.DEGRADED);
        assertThat(result.degraded()).singleElement().satisfies(degradation -> {
            assertThat(degradation.step()).isEqualTo("b");
            assertThat(degradation.reason()).startsWith("deadline_exceeded: ");
        });
        assertThat(harness.client.interrupted()).containsExactly("b-v1");
    }

    @Test
    void the_callers_earlier_deadline_bounds_the_run() {
        // given: the caller allows 5s of the pipeline's 15s, and the first step takes 6s
        harness.chatModel("a", (request, options) -> {
            harness.clock.advance(Duration.ofSeconds(6));
            return text("A").answer(request, options);
        });
        harness.chatModel("b", text("B"));
        PipelineConfig pipeline = pipeline(chat("a", "a", "x"), needs(chat("b", "b", "y"), "a"));
        RunContext context = new RunContext(
                "req-1", "acme", Optional.of(Deadline.after(Duration.ofSeconds(5), harness.clock)), StepJournal.none());

        // when / then
        assertThatThrownBy(() -> harness.executor.run(pipeline, Harness.json("{}"), context))
                .isInstanceOfSatisfying(
                        PipelineFailedException.class, e -> assertThat(e.step()).isEqualTo("b"));
        assertThat(harness.client.calls())
                .extracting(ScriptedModelClient.Call::model)
                .containsExactly("a-v1");
    }

    @Test
    void interrupting_the_caller_cancels_the_run_and_its_steps() {
        // given
        CountDownLatch started = new CountDownLatch(1);
        harness.chatModel("a", (request, options) -> {
            started.countDown();
            return hang().answer(request, options);
        });
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                harness.run(pipeline(chat("a", "a", "x")), "{}");
                thrown.complete(null);
            } catch (RuntimeException e) {
                thrown.complete(e);
            }
        });
        await().until(() -> started.getCount() == 0);

        // when
        caller.interrupt();

        // then
        await().until(thrown::isDone);
        assertThat(thrown.join()).isInstanceOf(CancellationException.class).hasMessageContaining("req-1");
        assertThat(harness.client.interrupted()).containsExactly("a-v1");
    }

    @Test
    void a_journaled_step_is_not_run_again_and_its_output_is_used() {
        // given
        harness.chatModel("classifier", text("never asked"));
        harness.chatModel("analyst", text("an analysis"));
        harness.journal.record("classify", new StepOutput.Text("legal"));
        PipelineConfig pipeline = pipeline(
                List.of(
                        chat("classify", "classifier", "Classify"),
                        needs(chat("analysis", "analyst", "A {{steps.classify.text}} analysis"), "classify")),
                Map.of("classification", "classify", "analysis", "analysis"));

        // when
        PipelineResult result = harness.run(pipeline, "{}");

        // then
        assertThat(harness.client.calls())
                .extracting(ScriptedModelClient.Call::model)
                .containsExactly("analyst-v1");
        assertThat(promptOf(requestTo("analyst-v1"))).isEqualTo("A legal analysis");
        assertThat(result.steps().get("classify").status()).isEqualTo(StepStatus.FROM_JOURNAL);
        assertThat(result.results().get("classification").textValue()).isEqualTo("legal");
        assertThat(result.modelsUsed()).containsExactly("analyst");
        assertThat(harness.journal.entries()).containsEntry("analysis", new StepOutput.Text("an analysis"));
    }

    @Test
    void a_finished_step_is_in_the_journal_before_a_step_that_needs_it_starts() {
        // given
        harness.chatModel("a", text("A"));
        harness.chatModel("b", (request, options) -> {
            String seen =
                    harness.journal.completed("first").map(Object::toString).orElse("nothing");
            return text("saw " + seen).answer(request, options);
        });
        PipelineConfig pipeline = pipeline(
                List.of(chat("first", "a", "x"), needs(chat("second", "b", "y"), "first")), Map.of("out", "second"));

        // when
        PipelineResult result = harness.run(pipeline, "{}");

        // then
        assertThat(result.results().get("out").textValue()).isEqualTo("saw " + new StepOutput.Text("A"));
    }

    @Test
    void results_models_usage_and_cost_add_up_over_the_answering_models() {
        // given
        Price classifierPrice =
                new Price(new BigDecimal("3.00"), new BigDecimal("15.00"), Optional.of(new BigDecimal("0.30")));
        Price embedderPrice = new Price(new BigDecimal("0.02"), BigDecimal.ZERO, Optional.empty());
        harness.model(
                Fixtures.model("classifier", ModelType.CHAT, Optional.of(classifierPrice)),
                text("legal", new Usage(1000, 200, 400)));
        harness.model(Fixtures.model("embedder", ModelType.EMBEDDING, Optional.of(embedderPrice)), vector(0.1f, 0.2f));
        harness.chatModel("free", text("free text", new Usage(7, 7, 0)));
        PipelineConfig pipeline = pipeline(
                List.of(
                        chat("classify", "classifier", "x"),
                        embed("embedding", "embedder", "y"),
                        chat("extra", "free", "z"),
                        chat("again", "classifier", "w")),
                Map.of("classification", "classify", "embedding", "embedding"));

        // when
        PipelineResult result = harness.run(pipeline, "{}");

        // then: 600 input at 3, 400 cached at 0.30, 200 output at 15 per million = 0.00492 per classify call
        assertThat(result.results().get("classification").textValue()).isEqualTo("legal");
        assertThat(result.results().get("embedding").toString()).isEqualTo("[0.1,0.2]");
        assertThat(result.modelsUsed()).containsExactly("classifier", "embedder", "free");
        assertThat(result.usage()).isEqualTo(new Usage(2010, 407, 800));
        assertThat(result.steps().get("classify").costUsd()).isEqualByComparingTo("0.00492");
        assertThat(result.steps().get("embedding").costUsd()).isEqualByComparingTo("0.00000006");
        assertThat(result.costUsd()).isEqualByComparingTo("0.00984006");
        assertThat(result.steps().get("classify").model()).hasValue("classifier");
        assertThat(result.steps().get("classify").providerModel()).hasValue("classifier-v1");
    }

    @Test
    void an_invalid_pipeline_fails_loudly() {
        // given
        harness.chatModel("a", text("A"));
        PipelineConfig cyclic = pipeline(needs(chat("x", "a", "x"), "y"), needs(chat("y", "a", "y"), "x"));

        // when / then
        assertThatThrownBy(() -> harness.run(cyclic, "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cycle")
                .hasMessageContaining("[x, y]");
    }

    private ModelRequest requestTo(String providerModel) {
        return harness.client.calls().stream()
                .filter(call -> call.model().equals(providerModel))
                .findFirst()
                .orElseThrow()
                .request();
    }

    private static String promptOf(ModelRequest request) {
        ModelRequest.Chat chat = (ModelRequest.Chat) request;
        return chat.messages().getLast().text();
    }
}
