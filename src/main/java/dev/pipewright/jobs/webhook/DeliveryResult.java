package dev.pipewright.jobs.webhook;

import java.util.Objects;

/** How one call to a receiver went. */
public sealed interface DeliveryResult {

    /** The receiver answered 2xx. */
    record Delivered(int status) implements DeliveryResult {}

    /**
     * The call failed: a non-2xx answer ({@code status} > 0), or no answer at all ({@code status} 0: refused address,
     * connection or read failure). {@code retryable} is false only when trying again cannot help.
     */
    record Failed(int status, String reason, boolean retryable) implements DeliveryResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
