package dev.pipewright.resilience;

import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A fake provider for one model that replays scripted outcomes in order; the last outcome repeats once the script is
 * used up. It remembers the options of every call it received. Thread safe.
 */
final class ScriptedModelClient implements ModelClient {

    sealed interface Outcome {}

    record Answer(Usage usage) implements Outcome {}

    record Failure(ModelError error) implements Outcome {}

    /** Blocks until {@code released}; an interrupt ends the wait the way a well-behaved client ends its call. */
    record Hang(CountDownLatch released) implements Outcome {}

    /** Runs {@code action} during the call, then behaves as {@code then}. */
    record Perform(Runnable action, Outcome then) implements Outcome {}

    private final Deque<Outcome> script = new ArrayDeque<>();
    private final List<CallOptions> calls = new ArrayList<>();
    private Outcome last = new Answer(Usage.NONE);

    synchronized ScriptedModelClient then(Outcome... outcomes) {
        script.addAll(List.of(outcomes));
        return this;
    }

    ScriptedModelClient answers(Usage usage) {
        return then(new Answer(usage));
    }

    ScriptedModelClient answers() {
        return answers(new Usage(10, 5, 0));
    }

    ScriptedModelClient fails(ModelError... errors) {
        for (ModelError error : errors) {
            then(new Failure(error));
        }
        return this;
    }

    synchronized int calls() {
        return calls.size();
    }

    synchronized List<CallOptions> options() {
        return List.copyOf(calls);
    }

    @Override
    public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
        Usage usage = play(next(options));
        return new ModelResponse.Chat(options.model(), "answer of " + options.model(), "stop", usage);
    }

    @Override
    public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
        Usage usage = play(next(options));
        return new ModelResponse.Embedding(options.model(), List.of(new float[] {1f, 0f}), usage);
    }

    private synchronized Outcome next(CallOptions options) {
        calls.add(options);
        if (!script.isEmpty()) {
            last = script.poll();
        }
        return last;
    }

    private static Usage play(Outcome outcome) {
        return switch (outcome) {
            case Answer answer -> answer.usage();
            case Failure failure -> throw new ModelException(failure.error());
            case Hang hang -> hang(hang.released());
            case Perform perform -> {
                perform.action().run();
                yield play(perform.then());
            }
        };
    }

    private static Usage hang(CountDownLatch released) {
        try {
            released.await();
            return Usage.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException(new ModelError.ConnectionReset("the call was interrupted"), e);
        }
    }
}
