package dev.pipewright.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A job to enqueue: run {@code pipeline} on {@code input} for {@code tenant}. An {@code idempotencyKey} is unique per
 * tenant: a second submission with the same key returns the first job, whatever its other fields. {@code
 * maxAttempts} bounds the attempts that end in a retryable failure (or a crash) before the job goes to the dead
 * letter queue; a rate-limited attempt that snoozes does not count.
 */
public record JobSubmission(
        String tenant,
        String pipeline,
        JsonNode input,
        Optional<String> idempotencyKey,
        Optional<String> webhookUrl,
        int maxAttempts,
        Optional<Instant> runAt) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    public JobSubmission {
        requireName("tenant", tenant);
        requireName("pipeline", pipeline);
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        idempotencyKey.ifPresent(key -> {
            if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
                throw new IllegalArgumentException("an idempotency key must have 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                        + " characters, but had " + key.length());
            }
        });
        Objects.requireNonNull(runAt, "runAt");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a job needs at least 1 attempt, but maxAttempts was " + maxAttempts);
        }
    }

    /** A submission that may run at once. */
    public JobSubmission(
            String tenant,
            String pipeline,
            JsonNode input,
            Optional<String> idempotencyKey,
            Optional<String> webhookUrl,
            int maxAttempts) {
        this(tenant, pipeline, input, idempotencyKey, webhookUrl, maxAttempts, Optional.empty());
    }

    /** The same submission, not to run before {@code runAt}, as a request held until its budget resets. */
    public JobSubmission withRunAt(Instant runAt) {
        return new JobSubmission(tenant, pipeline, input, idempotencyKey, webhookUrl, maxAttempts, Optional.of(runAt));
    }

    /** A submission with no idempotency key, no webhook and the default attempts. */
    public static JobSubmission of(String tenant, String pipeline, JsonNode input) {
        return new JobSubmission(tenant, pipeline, input, Optional.empty(), Optional.empty(), DEFAULT_MAX_ATTEMPTS);
    }

    public JobSubmission withIdempotencyKey(String key) {
        return new JobSubmission(tenant, pipeline, input, Optional.of(key), webhookUrl, maxAttempts, runAt);
    }

    public JobSubmission withWebhookUrl(String url) {
        return new JobSubmission(tenant, pipeline, input, idempotencyKey, Optional.of(url), maxAttempts, runAt);
    }

    public JobSubmission withMaxAttempts(int attempts) {
        return new JobSubmission(tenant, pipeline, input, idempotencyKey, webhookUrl, attempts, runAt);
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a job needs a " + what + ", but was '" + value + "'");
        }
    }
}
