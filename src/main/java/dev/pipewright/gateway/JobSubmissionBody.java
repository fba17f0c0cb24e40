package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.jobs.JobPriority;
import dev.pipewright.jobs.JobSubmission;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /v1/jobs}: {@code {pipeline, input, webhook_url?, idempotency_key?}}. The idempotency key
 * may also come as the {@code Idempotency-Key} header; when both are sent they must agree. Each problem names its
 * field.
 */
record JobSubmissionBody(
        String pipeline,
        JsonNode input,
        Optional<String> webhookUrl,
        Optional<String> idempotencyKey,
        JobPriority priority) {
    private static final Set<String> FIELDS = Set.of("pipeline", "input", "webhook_url", "idempotency_key", "priority");

    static JobSubmissionBody of(JsonNode body, Optional<String> keyHeader) {
        if (!body.isObject()) {
            throw new BadRequestException("the request body must be a JSON object like {\"pipeline\": \"...\","
                    + " \"input\": {...}}, but was " + body.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new BadRequestException("unknown field '" + field
                        + "'; allowed: pipeline, input, webhook_url, idempotency_key, priority");
            }
        }
        String pipeline = text(body, "pipeline")
                .orElseThrow(() -> new BadRequestException("pipeline: required; name the pipeline to run"));
        JsonNode input = body.get("input");
        if (input == null || !input.isObject()) {
            throw new BadRequestException("input: expected a JSON object with the pipeline's inputs");
        }
        Optional<String> key = idempotencyKey(text(body, "idempotency_key"), keyHeader);
        JobPriority priority =
                text(body, "priority").map(JobSubmissionBody::priority).orElse(JobPriority.INTERACTIVE);
        return new JobSubmissionBody(pipeline, input, text(body, "webhook_url"), key, priority);
    }

    private static JobPriority priority(String text) {
        try {
            return JobPriority.fromJsonName(text);
        } catch (IllegalArgumentException unknown) {
            throw new BadRequestException("priority: " + unknown.getMessage());
        }
    }

    private static Optional<String> idempotencyKey(Optional<String> field, Optional<String> header) {
        if (field.isPresent() && header.isPresent() && !field.equals(header)) {
            throw new BadRequestException(
                    "idempotency_key: differs from the Idempotency-Key header; send one, or the same in both");
        }
        Optional<String> key = field.or(() -> header);
        key.ifPresent(value -> {
            if (value.isBlank() || value.length() > JobSubmission.MAX_IDEMPOTENCY_KEY_LENGTH) {
                throw new BadRequestException("idempotency_key: must have 1 to "
                        + JobSubmission.MAX_IDEMPOTENCY_KEY_LENGTH + " characters, but had " + value.length());
            }
        });
        return key;
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new BadRequestException(field + ": expected a string, but was "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return Optional.of(value.textValue());
    }
}
