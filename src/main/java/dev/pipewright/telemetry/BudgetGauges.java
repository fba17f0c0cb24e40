package dev.pipewright.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * {@code pipewright.budget.used.ratio} (tenant, pipeline, period): the share of a budget for the period ({@code daily}
 * or {@code monthly}) spent so far, 1 when used up. A tenant's budget has an empty {@code pipeline}; a budget of one of
 * its pipelines names it (pipelines come from the configuration, so the tag stays low-cardinality), as
 * {@code pipewright.budget.alerts} does. The budget code registers one supplier per budget and period; it is read at
 * scrape time.
 */
public final class BudgetGauges {
    private final MeterRegistry registry;

    public BudgetGauges(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
    }

    /** Registers {@code usedRatio} for {@code tenant} and {@code period}; the first registration of a pair wins. */
    public void register(String tenant, String period, DoubleSupplier usedRatio) {
        registerPipeline(tenant, "", period, usedRatio);
    }

    /**
     * Registers {@code usedRatio} of {@code tenant}'s budget for {@code pipeline} and {@code period}; the first
     * registration of a triple wins.
     */
    public void registerPipeline(String tenant, String pipeline, String period, DoubleSupplier usedRatio) {
        Objects.requireNonNull(usedRatio);
        Gauge.builder("pipewright.budget.used.ratio", usedRatio::getAsDouble)
                .description("Share of the budget for the period spent so far")
                .tags("tenant", tenant, "pipeline", pipeline, "period", period)
                .register(registry);
    }
}
