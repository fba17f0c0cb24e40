package dev.pipewright.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How a simulated model behaves: latency is drawn around {@code latency} with {@code jitter} spread; with probability
 * {@code faultRate} the call suffers {@code fault} (every call when the rate is 1).
 */
public record SimulationConfig(
        Duration latency,
        Duration jitter,
        Optional<Fault> fault,
        double faultRate,
        Duration retryAfter,
        int outputTokens,
        int dimensions) {
    public static final SimulationConfig DEFAULT = new SimulationConfig(
            Duration.ofMillis(20), Duration.ZERO, Optional.empty(), 0, Duration.ofSeconds(1), 16, 384);

    public SimulationConfig {
        if (latency.isNegative() || jitter.isNegative() || retryAfter.isNegative()) {
            throw new IllegalArgumentException("latency, jitter and retry_after must not be negative");
        }
        if (faultRate < 0 || faultRate > 1) {
            throw new IllegalArgumentException("fault_rate must be between 0 and 1, but was " + faultRate);
        }
        if (outputTokens < 1 || dimensions < 1) {
            throw new IllegalArgumentException("output_tokens and dimensions must be at least 1");
        }
    }
}
