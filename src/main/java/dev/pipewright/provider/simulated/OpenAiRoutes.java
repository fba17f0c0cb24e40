package dev.pipewright.provider.simulated;

import dev.pipewright.config.Fault;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.provider.simulated.internal.BadRequest;
import dev.pipewright.provider.simulated.internal.ChatRequest;
import dev.pipewright.provider.simulated.internal.EmbeddingRequest;
import dev.pipewright.provider.simulated.internal.OpenAiWire;
import dev.pipewright.provider.simulated.internal.ToolTurn;
import dev.pipewright.provider.simulated.internal.WireJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI routes: chat completions (JSON and SSE, with tool calls as {@link SimulatedTools} makes them), embeddings (float and base64) and the model list. Like the real
 * API it takes any key but requires one as {@code Authorization: Bearer KEY}, and answers failures in OpenAI's
 * error shape. The overloaded fault is a 503 here, the status OpenAI uses for it.
 */
final class OpenAiRoutes {
    private static final String OWNER = "pipewright-simulator";

    private final SimulatedExchange exchange;
    private final SimulationProfiles profiles;
    private final AtomicLong ids = new AtomicLong();

    OpenAiRoutes(SimulatedExchange exchange, SimulationProfiles profiles) {
        this.exchange = exchange;
        this.profiles = profiles;
    }

    void register(HttpRouting.Builder routing) {
        routing.post("/v1/chat/completions", guarded(this::chat))
                .post("/v1/embeddings", guarded(this::embeddings))
                .get("/v1/models", guarded(this::models));
    }

    private void chat(ServerRequest request, ServerResponse response) {
        ChatRequest chat =
                OpenAiWire.chatRequest(WireJson.readObject(request.content().inputStream()));
        SimulatedExchange.Draw draw = exchange.draw(chat.model());
        long inputTokens = SimulatedContent.tokensOf(chat.inputCharacters());
        if (sentFault(response, draw, inputTokens)) {
            return;
        }
        exchange.awaitLatency(draw);
        String id = "chatcmpl-sim" + Long.toHexString(ids.incrementAndGet());
        long created = exchange.epochSecond();
        ChatAnswer answer;
        switch (chat.toolTurn()) {
            case ToolTurn.CallTool call -> {
                callTool(response, chat, call, draw, id, created, inputTokens);
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
        String finish = answer.truncated() ? "length" : "stop";
        if (chat.stream()) {
            exchange.stream(response, script(chat, answer, finish, id, created), draw);
            return;
        }
        byte[] body = OpenAiWire.completion(
                id, created, chat.model(), answer.text(), finish, answer.inputTokens(), answer.outputTokens());
        exchange.sendJson(response, Status.OK_200, body);
    }

    /**
     * Answers with a call of the tool: as JSON, or streamed as its opening piece (id and name) and its arguments in
     * two fragments, then the finish reason tool_calls.
     */
    private void callTool(
            ServerResponse response,
            ChatRequest chat,
            ToolTurn.CallTool call,
            SimulatedExchange.Draw draw,
            String id,
            long created,
            long inputTokens) {
        String callId = SimulatedTools.callId("call_", call.name(), chat.prompt());
        String arguments = SimulatedTools.arguments(call.parameters());
        long outputTokens = SimulatedContent.tokens(arguments);
        String model = chat.model();
        if (!chat.stream()) {
            exchange.sendJson(
                    response,
                    Status.OK_200,
                    OpenAiWire.toolCallCompletion(
                            id, created, model, callId, call.name(), arguments, inputTokens, outputTokens));
            return;
        }
        int middle = arguments.length() / 2;
        List<byte[]> pieces = List.of(
                OpenAiWire.toolCallChunk(id, created, model, callId, call.name(), ""),
                OpenAiWire.toolCallChunk(id, created, model, null, null, arguments.substring(0, middle)),
                OpenAiWire.toolCallChunk(id, created, model, null, null, arguments.substring(middle)));
        List<byte[]> closing = new ArrayList<>(3);
        closing.add(OpenAiWire.chunk(id, created, model, null, null, "tool_calls"));
        if (chat.includeUsage()) {
            closing.add(OpenAiWire.usageChunk(id, created, model, inputTokens, outputTokens));
        }
        closing.add(OpenAiWire.DONE);
        byte[] opening = OpenAiWire.chunk(id, created, model, "assistant", null, null);
        exchange.stream(response, new EventScript(List.of(opening), pieces, closing, OpenAiWire.MALFORMED_CHUNK), draw);
    }

    /** The chunks of a streamed completion: role, one per word, finish reason, usage when asked, end marker. */
    private static EventScript script(ChatRequest chat, ChatAnswer answer, String finish, String id, long created) {
        String model = chat.model();
        List<byte[]> tokens = new ArrayList<>(answer.deltas());
        for (int i = 0; i < answer.deltas(); i++) {
            tokens.add(OpenAiWire.chunk(id, created, model, null, answer.delta(i), null));
        }
        List<byte[]> closing = new ArrayList<>(3);
        closing.add(OpenAiWire.chunk(id, created, model, null, null, finish));
        if (chat.includeUsage()) {
            closing.add(OpenAiWire.usageChunk(id, created, model, answer.inputTokens(), answer.outputTokens()));
        }
        closing.add(OpenAiWire.DONE);
        byte[] opening = OpenAiWire.chunk(id, created, model, "assistant", "", null);
        return new EventScript(List.of(opening), tokens, closing, OpenAiWire.MALFORMED_CHUNK);
    }

    private void embeddings(ServerRequest request, ServerResponse response) {
        EmbeddingRequest embedding = OpenAiWire.embeddingRequest(
                WireJson.readObject(request.content().inputStream()));
        SimulatedExchange.Draw draw = exchange.draw(embedding.model());
        long inputTokens = 0;
        for (String input : embedding.inputs()) {
            inputTokens += SimulatedContent.tokens(input);
        }
        if (sentFault(response, draw, inputTokens)) {
            return;
        }
        exchange.awaitLatency(draw);
        int dimensions = embedding.dimensions().orElse(draw.config().dimensions());
        List<float[]> vectors = new ArrayList<>(embedding.inputs().size());
        for (String input : embedding.inputs()) {
            vectors.add(SimulatedContent.embedding(input, dimensions));
        }
        exchange.sendJson(
                response,
                Status.OK_200,
                OpenAiWire.embeddings(embedding.model(), vectors, embedding.base64(), inputTokens));
    }

    private void models(ServerRequest request, ServerResponse response) {
        exchange.sendJson(
                response, Status.OK_200, OpenAiWire.models(profiles.configuredModels(), exchange.epochSecond(), OWNER));
    }

    /** Answers the drawn fault when it is one a status reports; drops the connection for the ones that do. */
    private boolean sentFault(ServerResponse response, SimulatedExchange.Draw draw, long inputTokens) {
        exchange.disconnectIfDrawn(draw);
        Duration retryAfter = draw.config().retryAfter();
        Optional<StatusError> error = draw.fault().flatMap(fault -> statusError(fault, retryAfter, inputTokens));
        if (error.isEmpty()) {
            return false;
        }
        StatusError status = error.get();
        if (status.status() == 429 || status.status() == 503) {
            retryHeaders(response, retryAfter);
        }
        sendError(response, status.status(), status.message(), status.type(), status.param(), status.code());
        return true;
    }

    /** An error as OpenAI answers it; {@code param} and {@code code} may be null. */
    private record StatusError(int status, String type, String code, String param, String message) {}

    private static Optional<StatusError> statusError(Fault fault, Duration retryAfter, long inputTokens) {
        return Optional.ofNullable(
                switch (fault) {
                    case RATE_LIMIT ->
                        new StatusError(
                                429,
                                "requests",
                                "rate_limit_exceeded",
                                null,
                                "Rate limit reached for requests. Please try again in " + retryAfter.toMillis()
                                        + "ms.");
                    case SERVER_ERROR ->
                        new StatusError(
                                500,
                                "server_error",
                                null,
                                null,
                                "The server had an error while processing your request. Sorry about that!");
                    case OVERLOADED ->
                        new StatusError(
                                503,
                                "server_error",
                                null,
                                null,
                                "The engine is currently overloaded, please try again later.");
                    case CONTEXT_LENGTH ->
                        new StatusError(
                                400,
                                "invalid_request_error",
                                "context_length_exceeded",
                                "messages",
                                "This model's maximum context length is " + (inputTokens - 1)
                                        + " tokens. However, your messages resulted in " + inputTokens
                                        + " tokens. Please reduce the length of the messages.");
                    case CONTENT_FILTER ->
                        new StatusError(
                                400,
                                "invalid_request_error",
                                "content_policy_violation",
                                null,
                                "Your request was rejected as a result of our safety system.");
                    case CONNECTION_RESET, NO_ANSWER, SLOW_FIRST_TOKEN, STREAM_CUT, STREAM_STALL, MALFORMED_CHUNK ->
                        null;
                });
    }

    private static void retryHeaders(ServerResponse response, Duration retryAfter) {
        response.header(HeaderNames.RETRY_AFTER, SimulatedExchange.retryAfterSeconds(retryAfter));
        response.header("retry-after-ms", Long.toString(retryAfter.toMillis()));
    }

    private void sendError(
            ServerResponse response, int status, String message, String type, String param, String code) {
        exchange.sendJson(response, Status.create(status), OpenAiWire.error(message, type, param, code));
    }

    /** Checks the key, then maps a bad request or a bad model name to a 400, never a 500. */
    private Handler guarded(Handler handler) {
        return (request, response) -> {
            Optional<String> authorization = request.headers().first(HeaderNames.AUTHORIZATION);
            if (authorization.isEmpty()
                    || !authorization.get().startsWith("Bearer ")
                    || authorization.get().substring(7).isBlank()) {
                sendError(
                        response,
                        401,
                        "You didn't provide an API key. You need to provide your API key in an "
                                + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                        "invalid_request_error",
                        null,
                        "invalid_api_key");
                return;
            }
            try {
                handler.handle(request, response);
            } catch (BadRequest e) {
                sendError(response, 400, e.getMessage(), "invalid_request_error", e.param(), null);
            } catch (ModelException e) {
                if (!(e.error() instanceof ModelError.InvalidRequest invalid)) {
                    throw e;
                }
                sendError(response, 400, invalid.message(), "invalid_request_error", "model", null);
            }
        };
    }
}
