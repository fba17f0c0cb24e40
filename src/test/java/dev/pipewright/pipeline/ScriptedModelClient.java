package dev.pipewright.pipeline;

import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A model client that answers each provider model from a script, and remembers every call, the order calls started
 * and ended in, and which calls were interrupted. Thread safe.
 */
final class ScriptedModelClient implements ModelClient {

    @FunctionalInterface
    interface Answer {
        ModelResponse answer(ModelRequest request, CallOptions options) throws InterruptedException;
    }

    record Call(String model, String idempotencyKey, ModelRequest request) {}

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final Set<String> interrupted = ConcurrentHashMap.newKeySet();

    ScriptedModelClient answer(String providerModel, Answer answer) {
        answers.put(providerModel, answer);
        return this;
    }

    static Answer text(String text) {
        return text(text, new Usage(10, 5, 0));
    }

    static Answer text(String text, Usage usage) {
        return (request, options) -> new ModelResponse.Chat(options.model(), text, "stop", usage);
    }

    static Answer vector(float... values) {
        return (request, options) -> new ModelResponse.Embedding(options.model(), List.of(values), new Usage(3, 0, 0));
    }

    static Answer failure(ModelError error) {
        return (request, options) -> {
            throw new ModelException(error);
        };
    }

    /** Waits until interrupted, as a call to a provider that never answers would. */
    static Answer hang() {
        return (request, options) -> {
            new CountDownLatch(1).await();
            throw new IllegalStateException("a latch nobody counts down was released");
        };
    }

    @Override
    public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
        return (ModelResponse.Chat) respond(request, options);
    }

    @Override
    public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
        return (ModelResponse.Embedding) respond(request, options);
    }

    private ModelResponse respond(ModelRequest request, CallOptions options) {
        Answer answer = answers.get(options.model());
        if (answer == null) {
            throw new IllegalStateException("no answer scripted for " + options.model());
        }
        synchronized (this) {
            calls.add(new Call(options.model(), options.idempotencyKey(), request));
            events.add("start " + options.model());
        }
        try {
            return answer.answer(request, options);
        } catch (InterruptedException e) {
            interrupted.add(options.model());
            Thread.currentThread().interrupt();
            throw new ModelException(new ModelError.ConnectionReset("interrupted"));
        } finally {
            synchronized (this) {
                events.add("end " + options.model());
            }
        }
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** "start MODEL" and "end MODEL", in the order they happened. */
    synchronized List<String> events() {
        return List.copyOf(events);
    }

    Set<String> interrupted() {
        return Set.copyOf(interrupted);
    }
}
