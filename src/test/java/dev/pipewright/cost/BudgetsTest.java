package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.Usage;
import dev.pipewright.telemetry.CostMeters;
import dev.pipewright.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BudgetsTest {
    /** $1 per Mtok in, $10 per Mtok out: 1000 output tokens cost $0.01. */
    private static final String CONFIG = """
            providers:
              sim: {kind: simulated}
            models:
              big: {provider: sim, model: big-1, price: {input_per_mtok: 1.00, output_per_mtok: 10.00}}
              small: {provider: sim, model: small-1, price: {input_per_mtok: 0.10, output_per_mtok: 1.00}}
            pipelines:
              analyze: {steps: {a: {model: big, prompt: "x"}}}
              other: {steps: {a: {model: big, prompt: "x"}}}
            tenants:
              acme:
                api_keys: ["sha256:%s"]
                budget:
                  daily_usd: 0.05
                  monthly_usd: 10
                  alert_webhook: https://hooks.example.com/budget
                  pipelines: {analyze: {daily_usd: 0.02}}
              cheap:
                api_keys: ["sha256:%s"]
                budget: {daily_usd: 0.02, action: degrade, degrade_to: small}
            """.formatted("a".repeat(64), "b".repeat(64));

    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-29T18:00:00Z"));
    private final PipewrightConfig config = ConfigLoader.parse(CONFIG, "t.yaml");
    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Budgets.BudgetAlert> alerts = new ArrayList<>();
    private final List<List<BudgetStatus>> seenDuringCalls = new ArrayList<>();
    private final InMemoryBudgetStore store = new InMemoryBudgetStore();
    private final Budgets budgets =
            new Budgets(() -> config, store, new CostMeters(registry), name -> name, alerts::add, clock);

    /** Answers with 1000 output tokens and 0 input, and notes the budgets as they stand during the call. */
    private final ModelClient client = new ModelClient() {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            seenDuringCalls.add(budgets.statuses(Optional.of("acme")));
            return new ModelResponse.Chat(options.model(), "ok", "stop", new Usage(0, 1000, 0));
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new AssertionError("no embeddings");
        }
    };

    private final ModelCall modelCall = new ModelCall(
            List.of(new CostInterceptor(
                    config::model,
                    budgets,
                    ledger::appendOne,
                    new CostMeters(registry),
                    new BigDecimal("0.50"),
                    clock)),
            model -> client,
            config::model,
            clock);

    private ModelResult call(String tenant, String pipeline, int maxTokens) {
        return modelCall.execute(
                new ModelRequest.Chat(List.of(ChatMessage.user("")), OptionalInt.of(maxTokens), OptionalDouble.empty()),
                "big",
                Deadline.after(Duration.ofMinutes(1), clock),
                "key",
                new CallLabels(tenant, pipeline, "a", "req"));
    }

    private BudgetStatus status(String scope, String period) {
        return budgets.statuses(Optional.of("acme")).stream()
                .filter(s -> s.scope().equals(scope) && s.period().equals(period))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void a_call_reserves_its_maximum_cost_while_it_runs_and_settles_at_its_actual_cost() {
        // when: max 2000 tokens out ($0.02 plus 4 tokens of framing in), 1000 used
        call("acme", "other", 2000);

        // then
        assertThat(seenDuringCalls.getFirst())
                .filteredOn(s -> s.scope().equals("tenant") && s.period().equals("daily"))
                .singleElement()
                .satisfies(s -> assertThat(s.reservedUsd()).isEqualByComparingTo("0.020004"));
        BudgetStatus daily = status("tenant", "daily");
        assertThat(daily.usedUsd()).isEqualByComparingTo("0.01");
        assertThat(daily.reservedUsd()).isZero();
        assertThat(daily.resetsAt()).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(status("tenant", "monthly").resetsAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void a_call_that_does_not_fit_is_refused_with_the_budget_and_the_time_until_it_resets() {
        // given: $0.04 of $0.05 used
        for (int i = 0; i < 4; i++) {
            call("acme", "other", 1000);
        }

        // when: may cost $0.020004
        ModelCallException refused = catchThrowableOfType(ModelCallException.class, () -> call("acme", "other", 2000));

        // then
        assertThat(refused.error()).isInstanceOf(ModelError.RateLimited.class);
        assertThat(refused.error().retryAfter()).contains(Duration.ofHours(6));
        assertThat(refused.error().message())
                .isEqualTo("the daily budget of tenant acme ($0.05) is spent: $0.04 used and $0.00 reserved by calls"
                        + " in flight, and this call may cost up to $0.020004; it resets at 2026-11-30T00:00:00Z");
        assertThat(ledger.entries()).hasSize(4);
        assertThat(call("acme", "other", 900).usage().outputTokens()).isEqualTo(1000);
    }

    @Test
    void a_pipeline_budget_limits_only_that_pipelines_runs() {
        // given: analyze may spend $0.02 a day; $0.01 is used, and the next call may cost $0.010004
        call("acme", "analyze", 1000);

        // when
        ModelCallException refused =
                catchThrowableOfType(ModelCallException.class, () -> call("acme", "analyze", 1000));

        // then
        assertThat(refused.error().message()).startsWith("the daily budget of tenant acme for pipeline analyze");
        assertThat(call("acme", "other", 1000).answeredBy()).isEqualTo("big");
    }

    @Test
    void a_degrading_budget_moves_calls_to_the_cheaper_model_once_spent() {
        // given: $0.01 of $0.02 used; the next call on big may cost $0.010004
        call("cheap", "", 1000);

        // when
        ModelResult degraded = call("cheap", "", 1000);
        call("cheap", "", 1000);

        // then
        assertThat(degraded.answeredBy()).isEqualTo("small");
        assertThat(ledger.entries()).extracting(LedgerEntry::model).containsExactly("big", "small", "small");
        assertThat(ledger.entries().getLast().costUsd()).isEqualByComparingTo("0.001");
        assertThat(budgets.statuses(Optional.of("cheap")).getFirst().usedUsd()).isEqualByComparingTo("0.012");
    }

    @Test
    void of_two_replicas_on_one_store_only_the_first_to_see_eighty_percent_sends_the_alert() {
        // given: a second replica of the same budgets, with its own meters
        SimpleMeterRegistry otherRegistry = new SimpleMeterRegistry();
        Budgets other =
                new Budgets(() -> config, store, new CostMeters(otherRegistry), name -> name, alerts::add, clock);
        ModelCall otherCall = new ModelCall(
                List.of(new CostInterceptor(
                        config::model,
                        other,
                        ledger::appendOne,
                        new CostMeters(otherRegistry),
                        new BigDecimal("0.50"),
                        clock)),
                model -> client,
                config::model,
                clock);

        // when: this replica brings the daily $0.05 to 80%, then the other one settles a call past it
        for (int i = 0; i < 4; i++) {
            call("acme", "other", 500);
        }
        otherCall.execute(
                new ModelRequest.Chat(List.of(ChatMessage.user("")), OptionalInt.of(500), OptionalDouble.empty()),
                "big",
                Deadline.after(Duration.ofMinutes(1), clock),
                "key",
                new CallLabels("acme", "other", "a", "req"));

        // then: one alert between them, and each replica's metric counts what it saw
        assertThat(alerts)
                .singleElement()
                .satisfies(alert -> assertThat(alert.status().period()).isEqualTo("daily"));
        assertThat(warnings(registry)).isEqualTo(1.0);
        assertThat(warnings(otherRegistry)).isEqualTo(1.0);
    }

    private static double warnings(SimpleMeterRegistry meters) {
        return meters.get("pipewright.budget.alerts")
                .tag("level", "warning")
                .counter()
                .count();
    }

    @Test
    void a_pipeline_budget_has_its_own_used_ratio() {
        // when: $0.01 of the pipeline's $0.02, and of the tenant's $0.05
        call("acme", "analyze", 1000);

        // then
        assertThat(budgets.usedRatio("acme", "analyze", "daily")).isEqualTo(0.5);
        assertThat(budgets.usedRatio("acme", "daily")).isEqualTo(0.2);
        assertThat(budgets.usedRatio("acme", "analyze", "monthly")).isZero();
        assertThat(budgets.usedRatio("acme", "other", "daily")).isZero();
    }

    @Test
    void crossing_eighty_percent_alerts_once_per_window() {
        // when: $0.04 of $0.05 is 80%
        for (int i = 0; i < 5; i++) {
            call("acme", "other", 500);
        }

        // then
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.status().period()).isEqualTo("daily");
            assertThat(alert.webhook()).contains("https://hooks.example.com/budget");
        });
        assertThat(registry.get("pipewright.budget.alerts")
                        .tag("level", "warning")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(budgets.usedRatio("acme", "daily")).isEqualTo(1.0);
    }
}
