package dev.pipewright.model;

import dev.pipewright.config.ModelConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * One pass through the {@link ModelCall} chain. Interceptors derive new invocations with the {@code with*} methods:
 * the fallback link changes {@code model}, the retry link {@code attempt} and {@code waitedBefore}, the timeout link
 * {@code timeout}. The {@link AttemptLog} is shared by every invocation of one call; so is the {@link StreamSink} of a
 * streamed call, which tells the links whether an answer has started to reach the caller.
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
        AttemptLog attempts,
        Optional<StreamSink> stream) {

    public Invocation withModel(ModelConfig model) {
        return new Invocation(
                request, model, deadline, model.timeout(), 1, Duration.ZERO, idempotencyKey, labels, attempts, stream);
    }

    public Invocation withAttempt(int attempt, Duration waitedBefore) {
        return new Invocation(
                request, model, deadline, timeout, attempt, waitedBefore, idempotencyKey, labels, attempts, stream);
    }

    public Invocation withTimeout(Duration timeout) {
        return new Invocation(
                request, model, deadline, timeout, attempt, waitedBefore, idempotencyKey, labels, attempts, stream);
    }

    /** Whether part of a streamed answer has reached the caller, so the call can no longer be retried or moved. */
    public boolean streamStarted() {
        return stream.map(StreamSink::started).orElse(false);
    }
}
