package dev.pipewright.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When a failed job is tried again: {@code base × 2^(attempt − 1)}, capped at {@code max}, with "equal jitter" (a
 * random point in the upper half of that delay), so that jobs failing together do not return together while the
 * delay still grows.
 */
public record RetryBackoff(Duration base, Duration max) {
    public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    public RetryBackoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (!base.isPositive() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException(
                    "retry back-off needs 0 < base <= max, but base was " + base + " and max " + max);
        }
    }

    /** The delay before the retry that follows failed attempt number {@code attempt} (1 for the first). */
    public Duration delayAfter(int attempt, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1, but was " + attempt);
        }
        long ceiling = max.toMillis();
        long exponential = base.toMillis() << Math.min(attempt - 1, 40);
        long delay = exponential <= 0 || exponential > ceiling ? ceiling : exponential;
        long half = delay / 2;
        return Duration.ofMillis(half + random.nextLong(delay - half + 1));
    }
}
