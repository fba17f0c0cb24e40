package dev.pipewright.telemetry;

import dev.pipewright.model.CallLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * {@code pipewright.cost} (base unit usd; tenant, pipeline, provider, model): what the answered model calls cost.
 * The cost link of the model-call chain computes the price of each answered call and records it here, so that the
 * ledger and the metric come from the same number. Beside it: {@code pipewright.cost.ceiling.exceeded} (tenant,
 * pipeline), requests whose cost went over the configured ceiling; {@code pipewright.cost.ledger.dropped}, ledger rows
 * not written because the write queue was full; {@code pipewright.budget.alerts} (tenant, pipeline, period, level),
 * budgets that crossed 80% or were used up. Thread safe.
 */
public final class CostMeters {
    private final MeterRegistry registry;
    private final MeterCache<Counter> costs;

    public CostMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
        this.costs = new MeterCache<>(tags -> Counter.builder("pipewright.cost")
                .description("Cost of answered model calls in US dollars")
                .baseUnit("usd")
                .tags("tenant", tags.get(0), "pipeline", tags.get(1), "provider", tags.get(2), "model", tags.get(3))
                .register(registry));
    }

    /** Adds {@code usd} to the cost of {@code labels}' tenant and pipeline on {@code provider}'s {@code model}. */
    public void record(CallLabels labels, String provider, String model, BigDecimal usd) {
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("a cost must not be negative, but was " + usd);
        }
        costs.get(labels.tenant(), labels.pipeline(), provider, model).increment(usd.doubleValue());
    }

    /** Counts a request whose cost went over the per-request ceiling, once per request. */
    public void ceilingExceeded(CallLabels labels) {
        Counter.builder("pipewright.cost.ceiling.exceeded")
                .description("Requests whose cost went over the configured per-request ceiling")
                .tags("tenant", labels.tenant(), "pipeline", labels.pipeline())
                .register(registry)
                .increment();
    }

    /** Counts a ledger row that could not be queued for writing. */
    public void ledgerDropped() {
        Counter.builder("pipewright.cost.ledger.dropped")
                .description("Cost ledger rows not written because the write queue was full")
                .register(registry)
                .increment();
    }

    /** Counts a budget that reached {@code level} ({@code warning} at 80%, {@code exhausted} at 100%). */
    public void budgetAlert(String tenant, String pipeline, String period, String level) {
        Counter.builder("pipewright.budget.alerts")
                .description("Budgets that crossed 80% (warning) or were used up (exhausted)")
                .tags("tenant", tenant, "pipeline", pipeline, "period", period, "level", level)
                .register(registry)
                .increment();
    }
}
