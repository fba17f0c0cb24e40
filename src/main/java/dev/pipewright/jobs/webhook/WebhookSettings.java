package dev.pipewright.jobs.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * How webhooks are delivered. A delivery is tried up to {@code maxAttempts} times, the n-th retry after about
 * {@code baseDelay × 2^(n-1)} (with jitter, at most {@code maxDelay}); then it is marked failed. Each call may take
 * {@code connectTimeout} to connect and {@code readTimeout} per read, and at most {@code maxResponseBytes} of the
 * receiver's answer are read. The dispatcher looks for due deliveries every {@code pollInterval} and holds a claimed
 * one for {@code claimFor}, after which another dispatcher may take it over.
 */
public record WebhookSettings(
        int maxAttempts,
        Duration baseDelay,
        Duration maxDelay,
        Duration connectTimeout,
        Duration readTimeout,
        int maxResponseBytes,
        Duration pollInterval,
        Duration claimFor) {

    public WebhookSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
        }
        requirePositive("baseDelay", baseDelay);
        requirePositive("maxDelay", maxDelay);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("readTimeout", readTimeout);
        requirePositive("pollInterval", pollInterval);
        requirePositive("claimFor", claimFor);
        if (maxResponseBytes < 0) {
            throw new IllegalArgumentException("maxResponseBytes must not be negative, but was " + maxResponseBytes);
        }
        if (claimFor.compareTo(connectTimeout.plus(readTimeout)) <= 0) {
            throw new IllegalArgumentException("claimFor (" + claimFor + ") must outlast a call, connectTimeout + "
                    + "readTimeout (" + connectTimeout.plus(readTimeout) + ")");
        }
    }

    /**
     * 10 attempts over about four and a half hours (pauses of 30 s, 1 min, 2 min, ... capped at 2 h), 5 s to connect,
     * 10 s per read, 64 KiB of answer, a look every second.
     */
    public static WebhookSettings defaults() {
        return new WebhookSettings(
                10,
                Duration.ofSeconds(30),
                Duration.ofHours(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                64 * 1024,
                Duration.ofSeconds(1),
                Duration.ofMinutes(1));
    }

    public WebhookSettings withRetries(int attempts, Duration base, Duration max) {
        return new WebhookSettings(
                attempts, base, max, connectTimeout, readTimeout, maxResponseBytes, pollInterval, claimFor);
    }

    /** The pause before retry number {@code retry} (1 for the first), with up to 25 % jitter off the top. */
    Duration delayBefore(int retry, double jitter) {
        long base = baseDelay.toMillis();
        long exponential = retry >= 31 ? Long.MAX_VALUE : base << Math.min(retry - 1, 30);
        long capped = Math.min(exponential < 0 ? Long.MAX_VALUE : exponential, maxDelay.toMillis());
        return Duration.ofMillis(Math.max(1, Math.round(capped * (1 - 0.25 * jitter))));
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (!value.isPositive()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
    }
}
