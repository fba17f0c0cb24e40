package dev.pipewright.config;

import java.util.OptionalDouble;

/**
 * How much worse than the stable version a candidate may be before it is rolled back: {@code errorRate} in absolute
 * points of the failure share (0.02 = two percentage points), {@code p95Latency} and {@code costPerRequest} relative
 * to the stable version (0.2 = 20% more), {@code quality} in absolute points of the mean online quality score, judged
 * only when configured.
 */
public record CanaryMargins(double errorRate, double p95Latency, double costPerRequest, OptionalDouble quality) {
    public static final CanaryMargins DEFAULT = new CanaryMargins(0.02, 0.2, 0.1, OptionalDouble.empty());

    public CanaryMargins {
        if (errorRate < 0 || errorRate >= 1) {
            throw new IllegalArgumentException("error_rate must be in [0, 1), but was " + errorRate);
        }
        if (p95Latency < 0 || costPerRequest < 0) {
            throw new IllegalArgumentException("p95_latency and cost_per_request must not be negative");
        }
        if (quality.isPresent() && (quality.getAsDouble() < 0 || quality.getAsDouble() >= 1)) {
            throw new IllegalArgumentException("quality must be in [0, 1), but was " + quality.getAsDouble());
        }
    }
}
