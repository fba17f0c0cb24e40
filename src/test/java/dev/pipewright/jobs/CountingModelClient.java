package dev.pipewright.jobs;

import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A model client that logs every call's idempotency key to a {@link CallLog}, takes the latency set for its
 * provider model (waiting on the clock, so an interrupt ends the wait), and fails calls with errors queued for a
 * model, one error per call. Chat answers echo the idempotency key; embeddings are one small vector. Thread safe.
 */
final class CountingModelClient implements ModelClient {
    private final Clock clock;
    private final CallLog log;
    private final Map<String, Duration> latencies = new ConcurrentHashMap<>();
    private final Map<String, Queue<ModelError>> failures = new ConcurrentHashMap<>();

    CountingModelClient(Clock clock, CallLog log) {
        this.clock = clock;
        this.log = log;
    }

    CountingModelClient slow(String providerModel, Duration latency) {
        latencies.put(providerModel, latency);
        return this;
    }

    CountingModelClient failNext(String providerModel, ModelError error) {
        failures.computeIfAbsent(providerModel, ignored -> new ConcurrentLinkedQueue<>())
                .add(error);
        return this;
    }

    @Override
    public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
        answerAfterLatency(options);
        return new ModelResponse.Chat(options.model(), "done " + options.idempotencyKey(), "stop", new Usage(5, 3, 0));
    }

    @Override
    public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
        answerAfterLatency(options);
        return new ModelResponse.Embedding(options.model(), List.of(new float[] {0.25f, -1f}), new Usage(2, 0, 0));
    }

    private void answerAfterLatency(CallOptions options) {
        log.record(options.idempotencyKey());
        Duration latency = latencies.getOrDefault(options.model(), Duration.ZERO);
        if (latency.isPositive()) {
            try {
                clock.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelException(new ModelError.ConnectionReset("the call was interrupted"));
            }
        }
        Queue<ModelError> queued = failures.get(options.model());
        ModelError failure = queued == null ? null : queued.poll();
        if (failure != null) {
            throw new ModelException(failure);
        }
    }
}
