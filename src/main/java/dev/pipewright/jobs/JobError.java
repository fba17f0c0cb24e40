package dev.pipewright.jobs;

import java.util.Objects;
import java.util.Optional;

/**
 * Why an attempt of a job failed: the stable {@code kind} of the error (a {@link dev.pipewright.model.ModelError}
 * kind, {@code invalid_input}, {@code lease_lost}, {@code internal}...), a message, and the step that failed when
 * one did. Messages never carry secrets: they come from model errors and validation, which name no keys.
 */
public record JobError(String kind, String message, Optional<String> step) {
    public JobError {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("an error needs a kind, but was '" + kind + "'");
        }
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(step, "step");
    }
}
