package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.Usage;
import dev.pipewright.resilience.FallbackInterceptor;
import dev.pipewright.resilience.RetryInterceptor;
import dev.pipewright.telemetry.CostMeters;
import dev.pipewright.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CostInterceptorTest {
    private static final String CONFIG = """
            providers:
              sim: {kind: simulated}
            models:
              big: {provider: sim, model: big-1, retry: {attempts: 2, base_delay: 1ms}, fallbacks: [small],
                    price: {input_per_mtok: 3.00, output_per_mtok: 15.00, cached_input_per_mtok: 0.30}}
              small: {provider: sim, model: small-1, price: {input_per_mtok: 0.15, output_per_mtok: 0.60}}
              free: {provider: sim, model: free-1}
            """;

    private final FakeClock clock = new FakeClock();
    private final PipewrightConfig config = ConfigLoader.parse(CONFIG, "t.yaml");
    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, Deque<Supplier<ModelResponse.Chat>>> script = new HashMap<>();
    private final List<BigDecimal> settled = new ArrayList<>();

    private final BudgetGuard recordingGuard =
            invocation -> new BudgetGuard.Admission(invocation, actual -> settled.add(actual));

    private final ModelClient client = new ModelClient() {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            return script.get(options.model()).removeFirst().get();
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new AssertionError("no embedding here");
        }

        @Override
        public ModelResponse.Chat stream(ModelRequest.Chat request, CallOptions options, StreamListener listener) {
            ModelResponse.Chat answer = chat(request, options);
            for (String word : answer.text().split(" ")) {
                listener.onText(word + " ");
            }
            return answer;
        }
    };

    private ModelCall modelCall() {
        CostInterceptor cost = new CostInterceptor(
                config::model,
                recordingGuard,
                ledger::appendOne,
                new CostMeters(registry),
                new BigDecimal("0.50"),
                clock);
        return new ModelCall(
                List.of(cost, new FallbackInterceptor(config::model), new RetryInterceptor(clock, () -> 0L)),
                model -> client,
                config::model,
                clock);
    }

    private void answers(String providerModel, Supplier<ModelResponse.Chat> answer) {
        script.computeIfAbsent(providerModel, ignored -> new ArrayDeque<>()).add(answer);
    }

    private static Supplier<ModelResponse.Chat> reply(String model, Usage usage) {
        return () -> new ModelResponse.Chat(model, "a short answer", "stop", usage);
    }

    private static Supplier<ModelResponse.Chat> failure(ModelError error) {
        return () -> {
            throw new ModelException(error);
        };
    }

    private ModelResult call(String alias, CallLabels labels) {
        return modelCall()
                .execute(
                        ModelRequest.Chat.of(ChatMessage.user("What is the capital of France?")),
                        alias,
                        Deadline.after(Duration.ofMinutes(1), clock),
                        "key",
                        labels);
    }

    @Test
    void an_answered_call_is_one_ledger_row_with_its_labels_tokens_and_exact_cost() {
        // given
        answers("big-1", reply("big-1-2025", new Usage(1000, 200, 400)));
        CallLabels labels = new CallLabels("acme", "analyze", "classify", "req-1", Map.of("team", "search"), "v2");

        // when
        call("big", labels);

        // then
        assertThat(ledger.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.tenant()).isEqualTo("acme");
            assertThat(entry.pipeline()).isEqualTo("analyze");
            assertThat(entry.step()).isEqualTo("classify");
            assertThat(entry.requestId()).isEqualTo("req-1");
            assertThat(entry.tags()).containsExactly(Map.entry("team", "search"));
            assertThat(entry.variant()).isEqualTo("v2");
            assertThat(entry.provider()).isEqualTo("sim");
            assertThat(entry.model()).isEqualTo("big");
            assertThat(entry.providerModel()).isEqualTo("big-1-2025");
            assertThat(entry.inputTokens()).isEqualTo(1000);
            assertThat(entry.cachedInputTokens()).isEqualTo(400);
            assertThat(entry.outputTokens()).isEqualTo(200);
            assertThat(entry.costUsd()).isEqualByComparingTo("0.00492");
            assertThat(entry.estimated()).isFalse();
            assertThat(entry.at()).isEqualTo(clock.instant());
        });
        assertThat(settled)
                .singleElement()
                .isEqualTo(ledger.entries().getFirst().costUsd());
        assertThat(registry.get("pipewright.cost").tag("model", "big").counter().count())
                .isEqualTo(0.00492);
    }

    @Test
    void a_fallbacks_answer_is_billed_to_the_fallback_model_and_failed_attempts_cost_nothing() {
        // given
        answers("big-1", failure(new ModelError.Unavailable("down", 503, Optional.empty())));
        answers("big-1", failure(new ModelError.Unavailable("down", 503, Optional.empty())));
        answers("small-1", reply("small-1", new Usage(1000, 1000, 0)));

        // when
        ModelResult result = call("big", CallLabels.NONE);

        // then
        assertThat(result.answeredBy()).isEqualTo("small");
        assertThat(ledger.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.model()).isEqualTo("small");
            assertThat(entry.costUsd()).isEqualByComparingTo("0.00075");
        });
    }

    @Test
    void a_call_no_model_answered_writes_no_row_and_gives_its_reservation_back() {
        // given
        answers("big-1", failure(new ModelError.InvalidRequest("bad")));

        // when / then
        assertThatThrownBy(() -> call("big", CallLabels.NONE)).isInstanceOf(ModelCallException.class);
        assertThat(ledger.entries()).isEmpty();
        assertThat(settled).singleElement().isEqualTo(BigDecimal.ZERO);
    }

    @Test
    void a_streamed_answer_is_billed_from_the_usage_its_last_chunk_reported() {
        // given
        answers("big-1", reply("big-1", new Usage(12, 34, 0)));
        StringBuilder streamed = new StringBuilder();

        // when
        modelCall().stream(
                ModelRequest.Chat.of(ChatMessage.user("hi")),
                "big",
                Deadline.after(Duration.ofMinutes(1), clock),
                "key",
                CallLabels.NONE,
                streamed::append);

        // then
        assertThat(streamed.toString()).isEqualTo("a short answer ");
        assertThat(ledger.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.inputTokens()).isEqualTo(12);
            assertThat(entry.outputTokens()).isEqualTo(34);
            assertThat(entry.costUsd()).isEqualByComparingTo("0.000546");
        });
    }

    @Test
    void a_provider_that_reports_no_usage_is_billed_for_counted_tokens_marked_estimated() {
        // given: 30 characters of prompt are 8 tokens plus 4 of framing; 14 of answer are 4 tokens
        answers("big-1", reply("big-1", Usage.NONE));

        // when
        ModelResult result = call("big", CallLabels.NONE);

        // then
        assertThat(result.usage()).isEqualTo(new Usage(12, 4, 0, true));
        assertThat(ledger.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.estimated()).isTrue();
            assertThat(entry.costUsd()).isEqualByComparingTo("0.000096");
        });
    }

    @Test
    void a_model_without_a_price_is_recorded_at_no_cost_with_the_usage_it_reported() {
        // given
        answers("free-1", reply("free-1", Usage.NONE));

        // when
        ModelResult result = call("free", CallLabels.NONE);

        // then
        assertThat(result.usage()).isEqualTo(Usage.NONE);
        assertThat(ledger.entries())
                .singleElement()
                .satisfies(entry -> assertThat(entry.costUsd()).isZero());
    }

    @Test
    void a_request_whose_calls_together_pass_the_ceiling_is_flagged_once() {
        // given: each call costs $0.30, the ceiling is $0.50
        CallLabels labels = new CallLabels("acme", "analyze", "step", "req-9");
        for (int i = 0; i < 3; i++) {
            answers("big-1", reply("big-1", new Usage(100_000, 0, 0)));
        }

        ModelCall modelCall = modelCall();

        // when
        for (int i = 0; i < 3; i++) {
            modelCall.execute(
                    ModelRequest.Chat.of(ChatMessage.user("hi")),
                    "big",
                    Deadline.after(Duration.ofMinutes(1), clock),
                    "key",
                    labels);
        }

        // then
        assertThat(registry.get("pipewright.cost.ceiling.exceeded")
                        .tag("tenant", "acme")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }
}
