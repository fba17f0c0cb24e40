package dev.pipewright.jobs.webhook;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One webhook delivery of a job's outcome. {@code id} is stable across retries (the {@code Pipewright-Delivery}
 * header, for receivers to drop duplicates); {@code event} and {@code payload} are fixed when the job ends, so every
 * attempt sends the same bytes.
 */
public record WebhookDelivery(
        String id,
        String tenant,
        String jobId,
        String url,
        State state,
        Optional<String> event,
        Optional<String> payload,
        int attempts,
        Instant nextAttemptAt,
        OptionalInt lastStatus,
        Optional<String> lastError,
        Instant createdAt,
        Optional<Instant> deliveredAt) {

    public WebhookDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
    }

    public enum State {
        /** The job has not ended yet. */
        WAITING,
        /** The job ended; the delivery is due at {@code nextAttemptAt}. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Every attempt failed, or the receiver may not be called; {@code lastError} says why. */
        FAILED;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
