package dev.pipewright.telemetry;

import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.ToolCallDelta;
import dev.pipewright.model.Usage;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/** A client that answers each provider model from a script: take this long, then answer or fail. */
final class ScriptedClient implements ModelClient {
    record Step(Duration latency, ModelError error, Usage usage, boolean toolCall) {}

    private final FakeClock clock;
    private final Map<String, Queue<Step>> scripts = new HashMap<>();

    ScriptedClient(FakeClock clock) {
        this.clock = clock;
    }

    synchronized ScriptedClient answers(String providerModel, Duration latency, Usage usage) {
        scripts.computeIfAbsent(providerModel, ignored -> new ArrayDeque<>())
                .add(new Step(latency, null, usage, false));
        return this;
    }

    /** A streamed answer that is one tool call: its opening piece after {@code latency}, its arguments after another. */
    synchronized ScriptedClient callsTool(String providerModel, Duration latency, Usage usage) {
        scripts.computeIfAbsent(providerModel, ignored -> new ArrayDeque<>()).add(new Step(latency, null, usage, true));
        return this;
    }

    synchronized ScriptedClient fails(String providerModel, Duration latency, ModelError error) {
        scripts.computeIfAbsent(providerModel, ignored -> new ArrayDeque<>())
                .add(new Step(latency, error, null, false));
        return this;
    }

    private synchronized Step next(String providerModel) {
        Queue<Step> script = scripts.get(providerModel);
        if (script == null || script.isEmpty()) {
            throw new AssertionError("no scripted answer left for " + providerModel);
        }
        return script.remove();
    }

    @Override
    public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
        Step step = next(options.model());
        clock.advance(step.latency());
        if (step.error() != null) {
            throw new ModelException(step.error());
        }
        return new ModelResponse.Chat(options.model(), "answer", "stop", step.usage());
    }

    @Override
    public ModelResponse.Chat stream(ModelRequest.Chat request, CallOptions options, StreamListener listener) {
        Step step = next(options.model());
        clock.advance(step.latency());
        if (step.toolCall()) {
            listener.onToolCall(ToolCallDelta.start(0, "call_1", "lookup"));
            clock.advance(step.latency());
            listener.onToolCall(ToolCallDelta.arguments(0, "{}"));
            return new ModelResponse.Chat(
                    options.model(), "", "tool_calls", step.usage(), List.of(new ToolCall("call_1", "lookup", "{}")));
        }
        listener.onText("ans");
        clock.advance(step.latency());
        listener.onText("wer");
        return new ModelResponse.Chat(options.model(), "answer", "stop", step.usage());
    }

    @Override
    public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
        Step step = next(options.model());
        clock.advance(step.latency());
        return new ModelResponse.Embedding(options.model(), List.of(new float[] {1f}), step.usage());
    }
}
