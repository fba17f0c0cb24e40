package dev.pipewright.provider.simulated;

import dev.pipewright.config.Fault;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.provider.simulated.internal.AnthropicWire;
import dev.pipewright.provider.simulated.internal.BadRequest;
import dev.pipewright.provider.simulated.internal.ChatRequest;
import dev.pipewright.provider.simulated.internal.ToolTurn;
import dev.pipewright.provider.simulated.internal.WireJson;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Anthropic Messages route, JSON and event stream. Like the real API it takes any key but requires one (as
 * {@code x-api-key}, or {@code Authorization: Bearer} as the SDKs' auth token) and the {@code anthropic-version}
 * header, and answers failures in Anthropic's error shape.
 */
final class AnthropicRoutes {
    private static final HeaderName API_KEY = HeaderNames.create("x-api-key");
    private static final HeaderName VERSION = HeaderNames.create("anthropic-version");

    private final SimulatedExchange exchange;
    private final AtomicLong ids = new AtomicLong();

    AnthropicRoutes(SimulatedExchange exchange) {
        this.exchange = exchange;
    }

    void register(HttpRouting.Builder routing) {
        routing.post("/v1/messages", guarded(this::messages));
    }

    private void messages(ServerRequest request, ServerResponse response) {
        ChatRequest chat = AnthropicWire.messagesRequest(
                WireJson.readObject(request.content().inputStream()));
        SimulatedExchange.Draw draw = exchange.draw(chat.model());
        long inputTokens = SimulatedContent.tokensOf(chat.inputCharacters());
        if (sentFault(response, draw, inputTokens)) {
            return;
        }
        exchange.awaitLatency(draw);
        String id = "msg_sim" + Long.toHexString(ids.incrementAndGet());
        ChatAnswer answer;
        switch (chat.toolTurn()) {
            case ToolTurn.CallTool call -> {
                callTool(response, chat, call, draw, id, inputTokens);
                return;
            }
            case ToolTurn.QuoteResult result -> answer = ChatAnswer.quoting(result.content(), inputTokens);
            case ToolTurn.None none ->
                answer = ChatAnswer.to(
                        chat.prompt(),
                        inputTokens,
                        chat.maxTokens(),
                        draw.config().outputTokens());
        }
        String stop = answer.truncated() ? "max_tokens" : "end_turn";
        if (chat.stream()) {
            exchange.stream(response, script(chat.model(), answer, stop, id), draw);
            return;
        }
        byte[] body = AnthropicWire.message(
                id, chat.model(), answer.text(), stop, answer.inputTokens(), answer.outputTokens());
        exchange.sendJson(response, Status.OK_200, body);
    }

    /**
     * Answers with a tool_use block: as JSON, or streamed as its content_block_start and its input in two
     * input_json_delta fragments, then the stop reason tool_use.
     */
    private void callTool(
            ServerResponse response,
            ChatRequest chat,
            ToolTurn.CallTool call,
            SimulatedExchange.Draw draw,
            String id,
            long inputTokens) {
        String callId = SimulatedTools.callId("toolu_", call.name(), chat.prompt());
        String arguments = SimulatedTools.arguments(call.parameters());
        long outputTokens = SimulatedContent.tokens(arguments);
        if (!chat.stream()) {
            exchange.sendJson(
                    response,
                    Status.OK_200,
                    AnthropicWire.toolUseMessage(
                            id, chat.model(), callId, call.name(), arguments, inputTokens, outputTokens));
            return;
        }
        int middle = arguments.length() / 2;
        List<byte[]> opening = List.of(
                AnthropicWire.messageStart(id, chat.model(), inputTokens),
                AnthropicWire.toolUseBlockStart(callId, call.name()),
                AnthropicWire.PING);
        List<byte[]> pieces = List.of(
                AnthropicWire.inputJsonDelta(arguments.substring(0, middle)),
                AnthropicWire.inputJsonDelta(arguments.substring(middle)));
        List<byte[]> closing = List.of(
                AnthropicWire.CONTENT_BLOCK_STOP,
                AnthropicWire.messageDelta("tool_use", outputTokens),
                AnthropicWire.MESSAGE_STOP);
        exchange.stream(response, new EventScript(opening, pieces, closing, AnthropicWire.MALFORMED_EVENT), draw);
    }

    /** The events of a streamed message, in the order the Messages API sends them. */
    private static EventScript script(String model, ChatAnswer answer, String stop, String id) {
        List<byte[]> opening = List.of(
                AnthropicWire.messageStart(id, model, answer.inputTokens()),
                AnthropicWire.CONTENT_BLOCK_START,
                AnthropicWire.PING);
        List<byte[]> tokens = new ArrayList<>(answer.deltas());
        for (int i = 0; i < answer.deltas(); i++) {
            tokens.add(AnthropicWire.textDelta(answer.delta(i)));
        }
        List<byte[]> closing = List.of(
                AnthropicWire.CONTENT_BLOCK_STOP,
                AnthropicWire.messageDelta(stop, answer.outputTokens()),
                AnthropicWire.MESSAGE_STOP);
        return new EventScript(opening, tokens, closing, AnthropicWire.MALFORMED_EVENT);
    }

    /** Answers the drawn fault when it is one a status reports; drops the connection for the ones that do. */
    private boolean sentFault(ServerResponse response, SimulatedExchange.Draw draw, long inputTokens) {
        exchange.disconnectIfDrawn(draw);
        Optional<StatusError> error = draw.fault().flatMap(fault -> statusError(fault, inputTokens));
        if (error.isEmpty()) {
            return false;
        }
        StatusError status = error.get();
        if (status.status() == 429 || status.status() == 529) {
            response.header(
                    HeaderNames.RETRY_AFTER,
                    SimulatedExchange.retryAfterSeconds(draw.config().retryAfter()));
        }
        sendError(response, status.status(), status.type(), status.message());
        return true;
    }

    /** An error as Anthropic answers it. */
    private record StatusError(int status, String type, String message) {}

    private static Optional<StatusError> statusError(Fault fault, long inputTokens) {
        return Optional.ofNullable(
                switch (fault) {
                    case RATE_LIMIT ->
                        new StatusError(
                                429,
                                "rate_limit_error",
                                "This request would exceed the rate limit for your organization. Please try again later.");
                    case SERVER_ERROR -> new StatusError(500, "api_error", "Internal server error");
                    case OVERLOADED -> new StatusError(529, "overloaded_error", "Overloaded");
                    case CONTEXT_LENGTH ->
                        new StatusError(
                                400,
                                "invalid_request_error",
                                "prompt is too long: " + inputTokens + " tokens > " + (inputTokens - 1) + " maximum");
                    case CONTENT_FILTER ->
                        new StatusError(400, "invalid_request_error", "Output blocked by content filtering policy");
                    case CONNECTION_RESET, NO_ANSWER, SLOW_FIRST_TOKEN, STREAM_CUT, STREAM_STALL, MALFORMED_CHUNK ->
                        null;
                });
    }

    private void sendError(ServerResponse response, int status, String type, String message) {
        Status code = status == 529 ? Status.create(529, "Overloaded") : Status.create(status);
        exchange.sendJson(response, code, AnthropicWire.error(type, message));
    }

    /** Checks the key and version headers, then maps a bad request or a bad model name to a 400, never a 500. */
    private Handler guarded(Handler handler) {
        return (request, response) -> {
            Optional<String> key = request.headers().first(API_KEY);
            Optional<String> bearer = request.headers().first(HeaderNames.AUTHORIZATION);
            boolean hasKey = key.filter(k -> !k.isBlank()).isPresent()
                    || bearer.filter(b ->
                                    b.startsWith("Bearer ") && !b.substring(7).isBlank())
                            .isPresent();
            if (!hasKey) {
                sendError(response, 401, "authentication_error", "x-api-key header is required");
                return;
            }
            if (request.headers().first(VERSION).filter(v -> !v.isBlank()).isEmpty()) {
                sendError(response, 400, "invalid_request_error", "anthropic-version: header is required");
                return;
            }
            try {
                handler.handle(request, response);
            } catch (BadRequest e) {
                sendError(response, 400, "invalid_request_error", e.getMessage());
            } catch (ModelException e) {
                if (!(e.error() instanceof ModelError.InvalidRequest invalid)) {
                    throw e;
                }
                sendError(response, 400, "invalid_request_error", invalid.message());
            }
        };
    }
}
