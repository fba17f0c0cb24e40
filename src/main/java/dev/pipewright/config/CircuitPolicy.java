package dev.pipewright.config;

import java.time.Duration;

/**
 * When a model's circuit opens: the failure rate over the last {@code window} calls, once at least {@code minCalls}
 * were made; it stays open for {@code openFor}, then lets {@code probes} calls through to decide whether to close.
 */
public record CircuitPolicy(double failureRate, int minCalls, int window, Duration openFor, int probes) {
    public static final CircuitPolicy DEFAULT = new CircuitPolicy(0.5, 10, 20, Duration.ofSeconds(30), 3);

    public CircuitPolicy {
        if (!(failureRate > 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failure_rate must be in (0, 1], but was " + failureRate);
        }
        if (minCalls < 1 || window < minCalls) {
            throw new IllegalArgumentException(
                    "window must be at least min_calls (>= 1), but was " + window + " < " + minCalls);
        }
        if (openFor.isNegative() || openFor.isZero() || probes < 1) {
            throw new IllegalArgumentException("open_for must be positive and probes at least 1");
        }
    }
}
