package dev.pipewright.config;

import java.time.Duration;

/**
 * How often one model is tried (the first attempt included) and how long to back off between attempts when the
 * provider does not say (a provider's Retry-After always wins when it is longer).
 */
public record RetryPolicy(int attempts, Duration baseDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(8));

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, but was " + attempts);
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException(
                    "max_delay must be at least base_delay, but was " + maxDelay + " < " + baseDelay);
        }
    }
}
