package dev.pipewright.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * {@code pipewright.cache.requests} (pipeline, outcome): response cache lookups by outcome {@code hit} or
 * {@code miss}. The response cache records each lookup here. Thread safe.
 */
public final class CacheMeters {
    private final MeterRegistry registry;

    public CacheMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
    }

    public void hit(String pipeline) {
        lookups(pipeline, "hit").increment();
    }

    public void miss(String pipeline) {
        lookups(pipeline, "miss").increment();
    }

    private Counter lookups(String pipeline, String outcome) {
        return Counter.builder("pipewright.cache.requests")
                .description("Response cache lookups by outcome: hit or miss")
                .tags("pipeline", pipeline, "outcome", outcome)
                .register(registry);
    }
}
