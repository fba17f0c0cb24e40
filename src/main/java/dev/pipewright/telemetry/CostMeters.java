package dev.pipewright.telemetry;

import dev.pipewright.model.CallLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * {@code pipewright.cost} (base unit usd; tenant, pipeline, provider, model): what the answered model calls cost.
 * The cost link of the model-call chain computes the price of each answered call and records it here, so that the
 * ledger and the metric come from the same number. Thread safe.
 */
public final class CostMeters {
    private final MeterRegistry registry;

    public CostMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
    }

    /** Adds {@code usd} to the cost of {@code labels}' tenant and pipeline on {@code provider}'s {@code model}. */
    public void record(CallLabels labels, String provider, String model, BigDecimal usd) {
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("a cost must not be negative, but was " + usd);
        }
        Counter.builder("pipewright.cost")
                .description("Cost of answered model calls in US dollars")
                .baseUnit("usd")
                .tags("tenant", labels.tenant(), "pipeline", labels.pipeline(), "provider", provider, "model", model)
                .register(registry)
                .increment(usd.doubleValue());
    }
}
