package dev.pipewright.gateway.ratelimit;

import java.time.Duration;

/**
 * One limit as a client sees it after a decision: the limit per minute, what is left of it now, and how long until
 * the bucket is full again if nothing more is taken ({@code x-ratelimit-reset-*}).
 */
public record Quota(Dimension dimension, long limit, long remaining, Duration reset) {
    public Quota {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, but was " + limit);
        }
        if (remaining < 0 || remaining > limit) {
            throw new IllegalArgumentException("remaining must be within 0.." + limit + ", but was " + remaining);
        }
        if (reset.isNegative()) {
            throw new IllegalArgumentException("reset must not be negative, but was " + reset);
        }
    }
}
