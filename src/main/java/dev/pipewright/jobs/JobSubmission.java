package dev.pipewright.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A job to enqueue: run {@code pipeline} on {@code input} for {@code tenant}. An {@code idempotencyKey} is unique per
 * tenant: a second submission with the same key returns the first job, whatever its other fields. {@code
 * maxAttempts} bounds the attempts that end in a retryable failure (or a crash) before the job goes to the dead
 * letter queue; a rate-limited attempt that snoozes does not count. Interactive jobs are claimed before batch jobs.
 * {@code traceparent} is the W3C trace context of the submitter's span, stored with the job so that the worker
 * continues the same trace. {@code runAt}, when present, holds the job until then (a request queued until its budget
 * resets). {@code tags} are the caller's cost allocation tags, stored with the job so that the worker's ledger rows
 * carry them. {@code variant} is the deployment variant chosen for the job when it was submitted ({@code stable} or a
 * candidate's name; empty when the pipeline has no deployment), so that the worker runs that version's definition.
 */
public record JobSubmission(
        String tenant,
        String pipeline,
        JsonNode input,
        Optional<String> idempotencyKey,
        Optional<String> webhookUrl,
        int maxAttempts,
        JobPriority priority,
        Optional<String> traceparent,
        Optional<Instant> runAt,
        Map<String, String> tags,
        String variant) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    public JobSubmission {
        requireName("tenant", tenant);
        requireName("pipeline", pipeline);
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(traceparent, "traceparent");
        Objects.requireNonNull(runAt, "runAt");
        tags = Map.copyOf(tags);
        Objects.requireNonNull(variant, "variant");
        idempotencyKey.ifPresent(key -> {
            if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
                throw new IllegalArgumentException("an idempotency key must have 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                        + " characters, but had " + key.length());
            }
        });
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a job needs at least 1 attempt, but maxAttempts was " + maxAttempts);
        }
    }

    /** A submission without allocation tags or deployment variant. */
    public JobSubmission(
            String tenant,
            String pipeline,
            JsonNode input,
            Optional<String> idempotencyKey,
            Optional<String> webhookUrl,
            int maxAttempts,
            JobPriority priority,
            Optional<String> traceparent,
            Optional<Instant> runAt) {
        this(
                tenant,
                pipeline,
                input,
                idempotencyKey,
                webhookUrl,
                maxAttempts,
                priority,
                traceparent,
                runAt,
                Map.of(),
                "");
    }

    /** An interactive submission outside any trace that may run at once. */
    public JobSubmission(
            String tenant,
            String pipeline,
            JsonNode input,
            Optional<String> idempotencyKey,
            Optional<String> webhookUrl,
            int maxAttempts) {
        this(
                tenant,
                pipeline,
                input,
                idempotencyKey,
                webhookUrl,
                maxAttempts,
                JobPriority.INTERACTIVE,
                Optional.empty(),
                Optional.empty());
    }

    /** A submission with no idempotency key, no webhook and the default attempts, outside any trace. */
    public static JobSubmission of(String tenant, String pipeline, JsonNode input) {
        return new JobSubmission(tenant, pipeline, input, Optional.empty(), Optional.empty(), DEFAULT_MAX_ATTEMPTS);
    }

    public JobSubmission withIdempotencyKey(String key) {
        return new JobSubmission(
                tenant,
                pipeline,
                input,
                Optional.of(key),
                webhookUrl,
                maxAttempts,
                priority,
                traceparent,
                runAt,
                tags,
                variant);
    }

    public JobSubmission withWebhookUrl(String url) {
        return new JobSubmission(
                tenant,
                pipeline,
                input,
                idempotencyKey,
                Optional.of(url),
                maxAttempts,
                priority,
                traceparent,
                runAt,
                tags,
                variant);
    }

    public JobSubmission withMaxAttempts(int attempts) {
        return new JobSubmission(
                tenant,
                pipeline,
                input,
                idempotencyKey,
                webhookUrl,
                attempts,
                priority,
                traceparent,
                runAt,
                tags,
                variant);
    }

    public JobSubmission withPriority(JobPriority priority) {
        return new JobSubmission(
                tenant,
                pipeline,
                input,
                idempotencyKey,
                webhookUrl,
                maxAttempts,
                priority,
                traceparent,
                runAt,
                tags,
                variant);
    }

    /** The same submission, continuing the trace of {@code traceparent} (empty: outside any trace). */
    public JobSubmission withTraceparent(Optional<String> traceparent) {
        return new JobSubmission(
                tenant,
                pipeline,
                input,
                idempotencyKey,
                webhookUrl,
                maxAttempts,
                priority,
                traceparent,
                runAt,
                tags,
                variant);
    }

    /** The same submission, not to run before {@code runAt}, as a request held until its budget resets. */
    public JobSubmission withRunAt(Instant runAt) {
        return new JobSubmission(
                tenant,
                pipeline,
                input,
                idempotencyKey,
                webhookUrl,
                maxAttempts,
                priority,
                traceparent,
                Optional.of(runAt),
                tags,
                variant);
    }

    /** The same submission, with the caller's cost allocation tags. */
    public JobSubmission withTags(Map<String, String> tags) {
        return new JobSubmission(
                tenant,
                pipeline,
                input,
                idempotencyKey,
                webhookUrl,
                maxAttempts,
                priority,
                traceparent,
                runAt,
                tags,
                variant);
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a job needs a " + what + ", but was '" + value + "'");
        }
    }

    /** The same submission, to run the deployment variant {@code variant} (empty: no deployment). */
    public JobSubmission withVariant(String variant) {
        return new JobSubmission(
                tenant,
                pipeline,
                input,
                idempotencyKey,
                webhookUrl,
                maxAttempts,
                priority,
                traceparent,
                runAt,
                tags,
                variant);
    }
}
