package dev.pipewright.gateway;

import dev.pipewright.cache.CacheLookup;
import dev.pipewright.config.ModelType;
import dev.pipewright.gateway.compat.AnthropicRequests;
import dev.pipewright.gateway.compat.AnthropicWireFormat;
import dev.pipewright.gateway.compat.MessagesRequest;
import dev.pipewright.gateway.compat.StreamRelay;
import dev.pipewright.gateway.compat.WireError;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.ToolCallDelta;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The Anthropic-compatible route {@code POST /v1/messages}, JSON and event stream. As on the OpenAI routes, the
 * request's {@code model} names a configured alias (served by whichever provider it is configured on), the
 * response's {@code model} the provider model that actually answered, and {@code x-pipewright-model} the alias that
 * answered.
 */
final class AnthropicCompatibleRoutes {
    private final CompatibleExchange exchange;

    AnthropicCompatibleRoutes(CompatibleExchange exchange) {
        this.exchange = exchange;
    }

    void register(HttpRules rules) {
        rules.post("/v1/messages", exchange.guarded(AnthropicWireFormat::error, this::messages));
    }

    private void messages(ServerRequest request, ServerResponse response, String requestId) throws IOException {
        MessagesRequest messages = AnthropicRequests.messages(exchange.body(request));
        exchange.model(messages.model(), ModelType.CHAT);
        String id = RequestIds.random("msg_");
        CacheLookup cache = exchange.cache().lookup(request, response, messages.model(), messages.chat());
        Optional<ModelResult> cached = CompatibleCache.hit(cache);
        if (messages.stream()) {
            EventWriter writer = new EventWriter(response, messages.model(), id, requestId, cache);
            if (cached.isPresent()) {
                writer.replay(cached.get());
                return;
            }
            StreamRelay.relay(
                    listener -> exchange.stream(
                            messages.chat(), messages.model(), request, requestId, "messages", listener),
                    writer);
            return;
        }
        ModelResult result = exchange.executeCached(
                cache, cached, messages.chat(), messages.model(), request, requestId, "messages");
        ModelResponse.Chat answer = CompatibleExchange.chatAnswer(result);
        response.header(CompatibleExchange.MODEL_HEADER, result.answeredBy())
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(AnthropicWireFormat.message(id, result.providerModel(), answer));
    }

    /**
     * Writes a streamed message as the Messages API sends it: message_start, then each content block (a text block,
     * a tool_use block per tool call) as content_block_start, its deltas and content_block_stop, with a ping after
     * the first block opens; then message_delta and message_stop; or an error event and nothing after it. A block
     * stays open until a piece of another one arrives.
     */
    private static final class EventWriter implements StreamRelay.Writer {
        private final ServerResponse response;
        private final String alias;
        private final String id;
        private final String requestId;
        private final EventStream events;
        private final CacheLookup cache;
        /** The index of the open block, or -1 before the first. */
        private int block = -1;
        /** The tool call the open block carries, or -1 for a text block. */
        private int toolCall = -1;

        EventWriter(ServerResponse response, String alias, String id, String requestId, CacheLookup cache) {
            this.response = response;
            this.cache = cache;
            this.events = new EventStream(response);
            this.alias = alias;
            this.id = id;
            this.requestId = requestId;
        }

        @Override
        public void start(String answeringAlias, String providerModel) throws IOException {
            events.open(answeringAlias);
            events.write(AnthropicWireFormat.messageStart(id, providerModel));
        }

        @Override
        public void text(String delta) throws IOException {
            if (block < 0 || toolCall >= 0) {
                open(AnthropicWireFormat.textBlockStart(block + 1), -1);
            }
            events.write(AnthropicWireFormat.textDelta(block, delta));
        }

        @Override
        public void toolCall(ToolCallDelta delta) throws IOException {
            if (block < 0 || toolCall != delta.index()) {
                open(
                        AnthropicWireFormat.toolUseBlockStart(
                                block + 1,
                                delta.id().orElseThrow(() -> missing(delta, "id")),
                                delta.name().orElseThrow(() -> missing(delta, "name"))),
                        delta.index());
            }
            if (!delta.argumentsDelta().isEmpty()) {
                events.write(AnthropicWireFormat.inputJsonDelta(block, delta.argumentsDelta()));
            }
        }

        private static IllegalStateException missing(ToolCallDelta delta, String what) {
            return new IllegalStateException(
                    "the first piece of streamed tool call " + delta.index() + " has no " + what);
        }

        /** Closes the open block, if any, and opens the next with {@code start}. */
        private void open(byte[] start, int call) throws IOException {
            if (block >= 0) {
                events.write(AnthropicWireFormat.contentBlockStop(block));
            }
            block++;
            toolCall = call;
            events.write(start);
            if (block == 0) {
                events.write(AnthropicWireFormat.ping());
            }
        }

        @Override
        public void finish(ModelResult result) throws IOException {
            ModelResponse answer = result.response();
            String finish = answer instanceof ModelResponse.Chat chatAnswer ? chatAnswer.finishReason() : "stop";
            if (block < 0) {
                open(AnthropicWireFormat.textBlockStart(0), -1);
            }
            events.write(AnthropicWireFormat.contentBlockStop(block));
            events.write(AnthropicWireFormat.messageDelta(finish, answer.usage()));
            events.write(AnthropicWireFormat.messageStop());
            events.close();
            CompatibleCache.store(cache, result);
        }

        /**
         * Plays a cached answer as a stream: the whole text as one delta, each tool call as one block, then the
         * usual ending.
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
            WireError error = CompatibleExchange.streamError(alias, failure, requestId);
            if (!started) {
                CompatibleExchange.sendError(response, error, AnthropicWireFormat::error);
                return;
            }
            events.write(AnthropicWireFormat.errorEvent(error));
            events.close();
        }
    }
}
