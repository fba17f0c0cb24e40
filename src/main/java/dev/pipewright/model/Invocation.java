package dev.pipewright.model;

import dev.pipewright.config.ModelConfig;
import java.time.Duration;

/**
 * One pass through the {@link ModelCall} chain. Interceptors derive new invocations with the {@code with*} methods:
 * the fallback link changes {@code model}, the retry link {@code attempt} and {@code waitedBefore}, the timeout link
 * {@code timeout}. The {@link AttemptLog} is shared by every invocation of one call.
 */
public record Invocation(
        ModelRequest request,
        ModelConfig model,
        Deadline deadline,
        Duration timeout,
        int attempt,
        Duration waitedBefore,
        String idempotencyKey,
        CallLabels labels,
        AttemptLog attempts) {

    public Invocation withModel(ModelConfig model) {
        return new Invocation(
                request, model, deadline, model.timeout(), 1, Duration.ZERO, idempotencyKey, labels, attempts);
    }

    public Invocation withAttempt(int attempt, Duration waitedBefore) {
        return new Invocation(
                request, model, deadline, timeout, attempt, waitedBefore, idempotencyKey, labels, attempts);
    }

    public Invocation withTimeout(Duration timeout) {
        return new Invocation(
                request, model, deadline, timeout, attempt, waitedBefore, idempotencyKey, labels, attempts);
    }
}
