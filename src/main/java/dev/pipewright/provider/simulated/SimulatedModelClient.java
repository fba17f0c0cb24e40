package dev.pipewright.provider.simulated;

import dev.pipewright.config.Fault;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.ToolCallDelta;
import dev.pipewright.model.Usage;
import dev.pipewright.provider.simulated.internal.ToolTurn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A model that lives in the process: it waits its drawn latency on the injected {@link Clock} (instant under a fake
 * clock, a cheap park of a virtual thread on the system clock), then answers with {@link SimulatedContent}, or fails
 * with the drawn fault as the {@link ModelError} a real provider's failure maps to.
 *
 * <p>Faults that a provider reports at once (rate-limit, server-error, overloaded, connection-reset, context-length,
 * content-filter) fail without waiting the latency. no-answer waits the attempt's whole timeout, then times out. The
 * stream faults (slow-first-token, stream-cut, stream-stall, malformed-chunk) act on {@link #stream} only; a
 * non-streamed call answers normally. An answer slower than {@link CallOptions#timeout()} waits the timeout, then
 * times out.
 *
 * <p>Thread safe and lock free on the hot path, provided the random generator is: pass
 * {@code () -> ThreadLocalRandom.current().nextLong()} in production (see {@link SimulationDraw}).
 */
public final class SimulatedModelClient implements ModelClient {
    private final SimulationProfiles profiles;
    private final Clock clock;
    private final RandomGenerator random;

    public SimulatedModelClient(SimulationProfiles profiles, Clock clock, RandomGenerator random) {
        this.profiles = profiles;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
        SimulationConfig config = profiles.resolve(options.model());
        long inputTokens = SimulatedContent.tokensOf(textLength(request.messages()));
        awaitAnswer(config, options, inputTokens);
        if (SimulatedTools.turn(request) instanceof ToolTurn.CallTool call) {
            return toolCall(request, call, options, inputTokens);
        }
        return response(answer(request, config, inputTokens), options);
    }

    /** The answer that calls a tool, as {@link SimulatedTools} makes it. */
    private static ModelResponse.Chat toolCall(
            ModelRequest.Chat request, ToolTurn.CallTool call, CallOptions options, long inputTokens) {
        String arguments = SimulatedTools.arguments(call.parameters());
        ToolCall toolCall = new ToolCall(
                SimulatedTools.callId(
                        "call_", call.name(), request.messages().getLast().text()),
                call.name(),
                arguments);
        return new ModelResponse.Chat(
                options.model(),
                "",
                "tool_calls",
                new Usage(inputTokens, SimulatedContent.tokens(arguments), 0),
                List.of(toolCall));
    }

    /**
     * Streams the answer one word at a time once the latency has passed. Here the stream faults act as on a wire:
     * slow-first-token holds the first piece back by {@code retry_after} (a timeout when that exceeds the first-token
     * timeout); stream-cut, stream-stall and malformed-chunk send half the answer, then fail as a connection reset, an
     * idle timeout and a provider error respectively.
     */
    @Override
    public ModelResponse.Chat stream(ModelRequest.Chat request, CallOptions options, StreamListener listener) {
        SimulationConfig config = profiles.resolve(options.model());
        long inputTokens = SimulatedContent.tokensOf(textLength(request.messages()));
        Optional<Fault> fault = awaitAnswer(config, options, inputTokens);
        if (fault.isPresent() && fault.get() == Fault.SLOW_FIRST_TOKEN) {
            awaitFirstToken(config.retryAfter(), options);
        }
        if (SimulatedTools.turn(request) instanceof ToolTurn.CallTool call) {
            ModelResponse.Chat answer = toolCall(request, call, options, inputTokens);
            ToolCall made = answer.toolCalls().getFirst();
            listener.onToolCall(ToolCallDelta.start(0, made.id(), made.name()));
            if (fault.isPresent() && fault.get() != Fault.SLOW_FIRST_TOKEN) {
                throw new ModelException(streamFailure(fault.get(), options));
            }
            listener.onToolCall(ToolCallDelta.arguments(0, made.arguments()));
            return answer;
        }
        ChatAnswer answer = answer(request, config, inputTokens);
        int half = fault.isPresent() && fault.get() != Fault.SLOW_FIRST_TOKEN ? answer.deltas() / 2 : answer.deltas();
        for (int piece = 0; piece < half; piece++) {
            listener.onText(answer.delta(piece));
        }
        if (half < answer.deltas()) {
            throw new ModelException(streamFailure(fault.get(), options));
        }
        return response(answer, options);
    }

    private static ChatAnswer answer(ModelRequest.Chat request, SimulationConfig config, long inputTokens) {
        if (SimulatedTools.turn(request) instanceof ToolTurn.QuoteResult result) {
            return ChatAnswer.quoting(result.content(), inputTokens);
        }
        String prompt = request.messages().getLast().text();
        return ChatAnswer.to(prompt, inputTokens, request.maxTokens(), config.outputTokens());
    }

    private static ModelResponse.Chat response(ChatAnswer answer, CallOptions options) {
        return new ModelResponse.Chat(
                options.model(),
                answer.text(),
                answer.truncated() ? "length" : "stop",
                new Usage(answer.inputTokens(), answer.outputTokens(), 0));
    }

    private void awaitFirstToken(Duration delay, CallOptions options) {
        if (delay.compareTo(options.firstTokenTimeout()) > 0) {
            sleep(options.firstTokenTimeout(), options);
            throw new ModelException(
                    new ModelError.Timeout("simulated " + options.model() + " sent no first token within "
                            + options.firstTokenTimeout().toMillis() + " ms"));
        }
        sleep(delay, options);
    }

    private ModelError streamFailure(Fault fault, CallOptions options) {
        String model = options.model();
        return switch (fault) {
            case STREAM_STALL -> {
                sleep(options.idleTimeout(), options);
                yield new ModelError.Timeout("simulated stream of " + model + " stalled for "
                        + options.idleTimeout().toMillis() + " ms");
            }
            case MALFORMED_CHUNK ->
                new ModelError.Unavailable("simulated " + model + " sent a malformed chunk", 502, Optional.empty());
            default -> new ModelError.ConnectionReset("simulated stream of " + model + " ended before its last event");
        };
    }

    @Override
    public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
        SimulationConfig config = profiles.resolve(options.model());
        long inputTokens = 0;
        for (String input : request.inputs()) {
            inputTokens += SimulatedContent.tokens(input);
        }
        awaitAnswer(config, options, inputTokens);
        List<float[]> vectors = new ArrayList<>(request.inputs().size());
        for (String input : request.inputs()) {
            vectors.add(SimulatedContent.embedding(input, config.dimensions()));
        }
        return new ModelResponse.Embedding(options.model(), vectors, new Usage(inputTokens, 0, 0));
    }

    /**
     * Returns when the answer is due, with the drawn fault when it is one that only shows on a stream; throws the
     * drawn fault otherwise, or a timeout.
     */
    private Optional<Fault> awaitAnswer(SimulationConfig config, CallOptions options, long inputTokens) {
        Duration latency = SimulationDraw.latency(config, random);
        Optional<Fault> fault = SimulationDraw.fault(config, random);
        if (fault.isPresent()) {
            errorFor(fault.get(), config, options, inputTokens).ifPresent(error -> {
                throw new ModelException(error);
            });
        }
        if (latency.compareTo(options.timeout()) > 0) {
            sleep(options.timeout(), options);
            throw new ModelException(timeout(options));
        }
        sleep(latency, options);
        return fault;
    }

    /**
     * The error a fault surfaces as (no-answer first waits the whole timeout); none for the stream faults, which
     * answer normally in process.
     */
    private Optional<ModelError> errorFor(Fault fault, SimulationConfig config, CallOptions options, long inputTokens) {
        String model = options.model();
        Optional<Duration> retryAfter = Optional.of(config.retryAfter());
        return Optional.ofNullable(
                switch (fault) {
                    case RATE_LIMIT -> new ModelError.RateLimited("simulated rate limit on " + model, retryAfter);
                    case SERVER_ERROR ->
                        new ModelError.Unavailable("simulated server error on " + model, 500, Optional.empty());
                    case OVERLOADED -> new ModelError.Unavailable("simulated overload of " + model, 529, retryAfter);
                    case CONNECTION_RESET -> new ModelError.ConnectionReset("simulated connection reset by " + model);
                    case NO_ANSWER -> {
                        sleep(options.timeout(), options);
                        yield timeout(options);
                    }
                    case CONTEXT_LENGTH ->
                        new ModelError.ContextLengthExceeded(
                                "simulated context overflow: " + inputTokens + " input tokens do not fit " + model);
                    case CONTENT_FILTER -> new ModelError.ContentFiltered("simulated content filter of " + model);
                    case SLOW_FIRST_TOKEN, STREAM_CUT, STREAM_STALL, MALFORMED_CHUNK -> null;
                });
    }

    private void sleep(Duration duration, CallOptions options) {
        try {
            clock.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException(
                    new ModelError.Timeout("simulated call to " + options.model() + " was interrupted"), e);
        }
    }

    private static ModelError.Timeout timeout(CallOptions options) {
        return new ModelError.Timeout("simulated " + options.model() + " did not answer within "
                + options.timeout().toMillis() + " ms");
    }

    /** The characters of all text parts, counted as the wire formats count them: the whole input at once. */
    private static int textLength(List<ChatMessage> messages) {
        int characters = 0;
        for (ChatMessage message : messages) {
            for (ContentPart part : message.content()) {
                if (part instanceof ContentPart.Text text) {
                    characters += text.text().length();
                }
            }
        }
        return characters;
    }
}
