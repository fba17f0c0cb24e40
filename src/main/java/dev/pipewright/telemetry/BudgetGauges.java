package dev.pipewright.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * {@code pipewright.budget.used.ratio} (tenant, period): the share of a tenant's budget for the period
 * ({@code daily} or {@code monthly}) spent so far, 1 when used up. The budget code registers one supplier per tenant
 * and period; it is read at scrape time.
 */
public final class BudgetGauges {
    private final MeterRegistry registry;

    public BudgetGauges(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
    }

    /** Registers {@code usedRatio} for {@code tenant} and {@code period}; the first registration of a pair wins. */
    public void register(String tenant, String period, DoubleSupplier usedRatio) {
        Objects.requireNonNull(usedRatio);
        Gauge.builder("pipewright.budget.used.ratio", usedRatio::getAsDouble)
                .description("Share of the tenant's budget for the period spent so far")
                .tags("tenant", tenant, "period", period)
                .register(registry);
    }
}
