package dev.pipewright.gateway;

import dev.pipewright.cache.CacheLookup;
import dev.pipewright.config.ModelType;
import dev.pipewright.gateway.compat.ChatCompletionRequest;
import dev.pipewright.gateway.compat.EmbeddingDimensions;
import dev.pipewright.gateway.compat.EmbeddingsRequest;
import dev.pipewright.gateway.compat.OpenAiRequests;
import dev.pipewright.gateway.compat.OpenAiWireFormat;
import dev.pipewright.gateway.compat.StreamRelay;
import dev.pipewright.gateway.compat.WireError;
import dev.pipewright.gateway.compat.WireErrorException;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.ToolCallDelta;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OpenAI-compatible routes: {@code POST /v1/chat/completions} (JSON and SSE), {@code POST /v1/embeddings} (float
 * and base64), {@code GET /v1/models} and {@code GET /v1/models/{id}}. The request's {@code model} names a configured
 * alias; the response's {@code model} names the provider model that actually answered (as OpenAI names a dated
 * snapshot when asked for an alias), and the {@code x-pipewright-model} header the alias that answered, which differs
 * from the one asked for when a fallback took over.
 */
final class OpenAiCompatibleRoutes {
    private final CompatibleExchange exchange;

    OpenAiCompatibleRoutes(CompatibleExchange exchange) {
        this.exchange = exchange;
    }

    void register(HttpRules rules) {
        rules.post("/v1/chat/completions", exchange.guarded(OpenAiWireFormat::error, this::chat))
                .post("/v1/embeddings", exchange.guarded(OpenAiWireFormat::error, this::embeddings))
                .get("/v1/models", exchange.guarded(OpenAiWireFormat::error, this::models))
                .get("/v1/models/{id}", exchange.guarded(OpenAiWireFormat::error, this::model));
    }

    private void chat(ServerRequest request, ServerResponse response, String requestId) throws IOException {
        ChatCompletionRequest chat = OpenAiRequests.chat(exchange.body(request));
        exchange.model(chat.model(), ModelType.CHAT);
        String id = RequestIds.random("chatcmpl-");
        long created = exchange.epochSecond();
        CacheLookup cache = exchange.cache().lookup(request, response, chat.model(), chat.chat());
        Optional<ModelResult> cached = CompatibleCache.hit(cache);
        if (chat.stream()) {
            ChunkWriter writer = new ChunkWriter(response, chat, id, created, requestId, cache);
            if (cached.isPresent()) {
                writer.replay(cached.get());
                return;
            }
            StreamRelay.relay(
                    listener -> exchange.stream(
                            chat.chat(), chat.model(), request, requestId, "chat.completions", listener),
                    writer);
            return;
        }
        ModelResult result = exchange.executeCached(
                cache, cached, chat.chat(), chat.model(), request, requestId, "chat.completions");
        ModelResponse.Chat answer = CompatibleExchange.chatAnswer(result);
        response.header(CompatibleExchange.MODEL_HEADER, result.answeredBy())
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(OpenAiWireFormat.completion(id, created, result.providerModel(), answer));
    }

    private void embeddings(ServerRequest request, ServerResponse response, String requestId) {
        EmbeddingsRequest embeddings = OpenAiRequests.embeddings(exchange.body(request));
        exchange.model(embeddings.model(), ModelType.EMBEDDING);
        ModelResult result =
                exchange.execute(embeddings.embedding(), embeddings.model(), request, requestId, "embeddings");
        if (!(result.response() instanceof ModelResponse.Embedding answer)) {
            throw new IllegalStateException("model '" + result.answeredBy() + "' answered embeddings without vectors");
        }
        List<float[]> vectors = embeddings.dimensions().isPresent()
                ? EmbeddingDimensions.shorten(
                        answer.vectors(), embeddings.dimensions().getAsInt(), result.answeredBy())
                : answer.vectors();
        response.header(CompatibleExchange.MODEL_HEADER, result.answeredBy())
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(OpenAiWireFormat.embeddings(
                        result.providerModel(), vectors, embeddings.base64(), answer.usage()));
    }

    private void models(ServerRequest request, ServerResponse response, String requestId) {
        List<String> aliases = new ArrayList<>();
        exchange.aliases().forEach(aliases::add);
        response.header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(OpenAiWireFormat.models(aliases, exchange.epochSecond()));
    }

    private void model(ServerRequest request, ServerResponse response, String requestId) {
        String id = request.path().pathParameters().get("id");
        for (String alias : exchange.aliases()) {
            if (alias.equals(id)) {
                response.header(HeaderNames.CONTENT_TYPE, "application/json")
                        .send(OpenAiWireFormat.model(id, exchange.epochSecond()));
                return;
            }
        }
        throw new WireErrorException(WireError.modelNotFound(id, exchange.aliases()));
    }

    /** Writes a streamed completion as OpenAI frames it: role chunk, content chunks, finish, usage, {@code [DONE]}. */
    private static final class ChunkWriter implements StreamRelay.Writer {
        private final ServerResponse response;
        private final ChatCompletionRequest chat;
        private final String id;
        private final long created;
        private final String requestId;
        private final EventStream events;
        private final CacheLookup cache;
        private String model = "";

        ChunkWriter(
                ServerResponse response,
                ChatCompletionRequest chat,
                String id,
                long created,
                String requestId,
                CacheLookup cache) {
            this.response = response;
            this.cache = cache;
            this.events = new EventStream(response);
            this.chat = chat;
            this.id = id;
            this.created = created;
            this.requestId = requestId;
        }

        @Override
        public void start(String alias, String providerModel) throws IOException {
            model = providerModel;
            events.open(alias);
            events.write(OpenAiWireFormat.chunk(id, created, model, "assistant", "", null));
        }

        @Override
        public void text(String delta) throws IOException {
            events.write(OpenAiWireFormat.chunk(id, created, model, null, delta, null));
        }

        @Override
        public void toolCall(ToolCallDelta delta) throws IOException {
            events.write(OpenAiWireFormat.toolCallChunk(id, created, model, delta));
        }

        @Override
        public void finish(ModelResult result) throws IOException {
            ModelResponse answer = result.response();
            String finish = answer instanceof ModelResponse.Chat chatAnswer ? chatAnswer.finishReason() : "stop";
            events.write(OpenAiWireFormat.chunk(id, created, model, null, null, finish));
            if (chat.includeUsage()) {
                events.write(OpenAiWireFormat.usageChunk(id, created, model, answer.usage()));
            }
            events.write(OpenAiWireFormat.DONE);
            events.close();
            CompatibleCache.store(cache, result);
        }

        /**
         * Plays a cached answer as a stream: the whole text as one piece, each tool call as one, then the usual
         * ending.
         */
        void replay(ModelResult result) throws IOException {
            start(result.answeredBy(), result.providerModel());
            if (result.response() instanceof ModelResponse.Chat answer) {
                if (!answer.text().isEmpty()) {
                    text(answer.text());
                }
                for (ToolCallDelta call : ToolCallDelta.whole(answer.toolCalls())) {
                    toolCall(call);
                }
            }
            finish(result);
        }

        @Override
        public void fail(RuntimeException failure, boolean started) throws IOException {
            WireError error = CompatibleExchange.streamError(chat.model(), failure, requestId);
            if (!started) {
                CompatibleExchange.sendError(response, error, OpenAiWireFormat::error);
                return;
            }
            events.write(OpenAiWireFormat.streamError(error));
            events.close();
        }
    }
}
