package dev.pipewright.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as the store holds it. {@code attempts} counts the claims that used an attempt (a snooze gives its attempt
 * back); {@code leaseToken} is the fencing token of the latest claim, 0 before the first. {@code runAt} is when it
 * may next be claimed (a retry or a snooze puts it in the future). {@code result} is the pipeline result JSON (as
 * {@link dev.pipewright.pipeline.PipelineResultJson} writes it) once {@link JobStatus#SUCCEEDED}; {@code lastError}
 * is the error of the latest failed attempt. {@code traceparent} is the W3C trace context the job was submitted
 * under, if any, and {@code tags} the cost allocation tags it was submitted with. {@code variant} is the deployment
 * variant chosen when it was submitted (empty: none). Treat the JSON nodes as read-only.
 */
public record Job(
        String id,
        String tenant,
        String pipeline,
        JsonNode input,
        Optional<String> idempotencyKey,
        Optional<String> webhookUrl,
        JobStatus status,
        int attempts,
        int maxAttempts,
        long leaseToken,
        Instant createdAt,
        Instant updatedAt,
        Instant runAt,
        Optional<Instant> finishedAt,
        Optional<JsonNode> result,
        Optional<JobError> lastError,
        Optional<String> traceparent,
        Map<String, String> tags,
        String variant) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(runAt, "runAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(traceparent, "traceparent");
        tags = Map.copyOf(tags);
        Objects.requireNonNull(variant, "variant");
        if (attempts < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "job " + id + " has " + attempts + " attempts of at most " + maxAttempts);
        }
    }

    /** Whether every attempt the job may take is used: a further failure sends it to the dead letter queue. */
    public boolean attemptsExhausted() {
        return attempts >= maxAttempts;
    }
}
