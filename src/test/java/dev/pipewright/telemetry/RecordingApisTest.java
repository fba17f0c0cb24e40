package dev.pipewright.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.CallLabels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The meters other packages record through: health, cost, cache, rate limits, budgets and the queue. */
class RecordingApisTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @ParameterizedTest
    @CsvSource({"CLOSED, 0, 1", "HALF_OPEN, 1, 1", "OPEN, 2, 0"})
    void model_gauges_follow_the_circuit_state_at_each_read(String state, double circuit, double available) {
        // given
        Map<String, String> states = new HashMap<>(Map.of("classifier", "CLOSED"));
        ModelConfig classifier = ChainHarness.model("classifier", "anthropic");
        ModelHealthGauges.register(registry, List.of(classifier), states::get);

        // when
        states.put("classifier", state);

        // then
        assertThat(registry.get("pipewright.model.circuit.state")
                        .tags("provider", "anthropic", "model", "classifier")
                        .gauge()
                        .value())
                .isEqualTo(circuit);
        assertThat(registry.get("pipewright.model.available")
                        .tags("model", "classifier")
                        .gauge()
                        .value())
                .isEqualTo(available);
    }

    @Test
    void an_unknown_circuit_state_is_refused_by_name() {
        assertThatThrownBy(() -> ModelHealthGauges.stateValue("AJAR")).hasMessageContaining("'AJAR'");
    }

    @Test
    void cost_adds_up_per_tenant_pipeline_provider_and_model() {
        // given
        CostMeters cost = new CostMeters(registry);
        CallLabels labels = new CallLabels("acme", "analyze", "classify", "req-1");

        // when
        cost.record(labels, "anthropic", "classifier", new BigDecimal("0.25"));
        cost.record(labels, "anthropic", "classifier", new BigDecimal("0.5"));

        // then
        assertThat(registry.get("pipewright.cost")
                        .tags("tenant", "acme", "pipeline", "analyze", "provider", "anthropic", "model", "classifier")
                        .counter()
                        .count())
                .isEqualTo(0.75);
        assertThatThrownBy(() -> cost.record(labels, "anthropic", "classifier", new BigDecimal("-1")))
                .hasMessageContaining("-1");
    }

    @Test
    void cache_lookups_and_rate_limit_rejections_are_counted_by_outcome() {
        // given
        CacheMeters cache = new CacheMeters(registry);
        RateLimitMeters limits = new RateLimitMeters(registry);

        // when
        cache.hit("analyze");
        cache.miss("analyze");
        cache.miss("analyze");
        limits.rejected("acme", "tpm");

        // then
        assertThat(registry.get("pipewright.cache.requests")
                        .tags("outcome", "hit")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("pipewright.cache.requests")
                        .tags("outcome", "miss")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("pipewright.ratelimit.rejections")
                        .tags("tenant", "acme", "limit", "tpm")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void budget_and_queue_gauges_read_their_suppliers_at_each_scrape() {
        // given
        AtomicLong depth = new AtomicLong(5);
        new BudgetGauges(registry).register("acme", "daily", () -> depth.get() / 10.0);
        QueueMetrics.register(registry, new QueueGauges() {
            public long depth() {
                return depth.get();
            }

            public long inFlight() {
                return 2;
            }

            public Duration oldestWaiting() {
                return Duration.ofSeconds(depth.get());
            }

            public long deadLetters() {
                return 1;
            }
        });

        // when
        depth.set(8);

        // then
        assertThat(registry.get("pipewright.budget.used.ratio").gauge().value()).isEqualTo(0.8);
        assertThat(registry.get("pipewright.queue.depth").gauge().value()).isEqualTo(8);
        assertThat(registry.get("pipewright.queue.in.flight").gauge().value()).isEqualTo(2);
        assertThat(registry.get("pipewright.queue.dead.letters").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("pipewright.queue.oldest.waiting").timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(8);
    }

    @Test
    void pipeline_budgets_have_their_own_used_ratio_tagged_with_the_pipeline() {
        // given
        AtomicLong spent = new AtomicLong(3);
        BudgetGauges gauges = new BudgetGauges(registry);
        gauges.register("acme", "daily", () -> 0.1);
        gauges.registerPipeline("acme", "analyze", "daily", () -> spent.get() / 4.0);

        // when
        spent.set(2);

        // then
        assertThat(registry.get("pipewright.budget.used.ratio")
                        .tags("tenant", "acme", "pipeline", "analyze", "period", "daily")
                        .gauge()
                        .value())
                .isEqualTo(0.5);
        assertThat(registry.get("pipewright.budget.used.ratio")
                        .tags("tenant", "acme", "pipeline", "", "period", "daily")
                        .gauge()
                        .value())
                .isEqualTo(0.1);
    }

    @Test
    void tenant_and_pipeline_budget_ratios_are_one_prometheus_metric() {
        try (PrometheusMetrics prometheus = new PrometheusMetrics()) {
            // given
            BudgetGauges gauges = new BudgetGauges(prometheus.registry());

            // when
            gauges.register("acme", "daily", () -> 0.25);
            gauges.registerPipeline("acme", "analyze", "monthly", () -> 0.75);

            // then
            assertThat(prometheus.scrape())
                    .contains("pipewright_budget_used_ratio{period=\"daily\",pipeline=\"\",tenant=\"acme\"} 0.25")
                    .contains("pipewright_budget_used_ratio{period=\"monthly\",pipeline=\"analyze\",tenant=\"acme\"}"
                            + " 0.75");
        }
    }

    @Test
    void gateway_overhead_is_the_request_time_outside_model_calls() {
        // given
        GatewayMetrics gateway = new GatewayMetrics(registry);

        // when
        gateway.record("/v1/pipelines/{name}", "POST", 200, Duration.ofMillis(520), Duration.ofMillis(500));

        // then
        assertThat(registry.get("pipewright.gateway.overhead")
                        .tags("route", "/v1/pipelines/{name}")
                        .timer()
                        .totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(20);
        assertThat(registry.get("pipewright.gateway.request.duration")
                        .tags("route", "/v1/pipelines/{name}", "method", "POST", "status", "200")
                        .timer()
                        .count())
                .isEqualTo(1);
    }
}
