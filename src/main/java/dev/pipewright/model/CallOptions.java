package dev.pipewright.model;

import java.time.Duration;

/**
 * How one attempt is made: the provider's model name, the time it may take (the client must give up after it), an
 * idempotency key that stays the same across retries of one logical call, and for streams the longest wait for the
 * first piece and between two pieces.
 */
public record CallOptions(
        String model, Duration timeout, String idempotencyKey, Duration firstTokenTimeout, Duration idleTimeout) {

    public CallOptions {
        if (!timeout.isPositive() || !firstTokenTimeout.isPositive() || !idleTimeout.isPositive()) {
            throw new IllegalArgumentException(
                    "timeouts must be positive, but were " + timeout + ", " + firstTokenTimeout + ", " + idleTimeout);
        }
    }

    /** Options whose stream waits are bounded by the attempt's timeout alone. */
    public CallOptions(String model, Duration timeout, String idempotencyKey) {
        this(model, timeout, idempotencyKey, timeout, timeout);
    }
}
