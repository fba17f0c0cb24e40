package dev.pipewright.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * {@code pipewright.ratelimit.rejections} (tenant, limit): requests refused with 429 by the rate limiter, by the
 * limit that refused them ({@code rpm} or {@code tpm}). The rate limiter records each rejection here. Thread safe.
 */
public final class RateLimitMeters {
    private final MeterRegistry registry;

    public RateLimitMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
    }

    public void rejected(String tenant, String limit) {
        Counter.builder("pipewright.ratelimit.rejections")
                .description("Requests refused by the rate limiter, by the limit that refused them")
                .tags("tenant", tenant, "limit", limit)
                .register(registry)
                .increment();
    }
}
