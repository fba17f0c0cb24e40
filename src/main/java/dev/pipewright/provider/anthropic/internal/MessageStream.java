package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ToolCallAssembly;
import dev.pipewright.model.ToolCallDelta;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows the event sequence of a streamed message: {@code message_start} (model and input usage),
 * {@code content_block_start} (a tool_use block opens a tool call), {@code ping}, {@code content_block_delta} (text,
 * or a tool call's {@code input_json_delta}), {@code content_block_stop},
 * {@code message_delta} (stop reason and output usage), {@code message_stop}. An {@code error} event fails the
 * stream as the HTTP answer of its type would; an event whose data is not JSON, or that comes before
 * {@code message_start}, is malformed; event types the API may add later are skipped, as Anthropic asks clients to.
 * Not thread safe: one per stream.
 */
public final class MessageStream {
    private final AnthropicErrors errors;
    private final StringBuilder text = new StringBuilder();
    private final ToolCallAssembly toolCalls = new ToolCallAssembly();
    private final Map<Integer, Integer> toolCallOfBlock = new HashMap<>();
    private String model;
    private String stopReason = "";
    private long input;
    private long cacheCreation;
    private long cacheRead;
    private long output;
    private boolean started;
    private boolean stopped;

    public MessageStream(String requestedModel, AnthropicErrors errors) {
        this.model = requestedModel;
        this.errors = errors;
    }

    /** What one event adds to the message: text, a piece of a tool call, or nothing. */
    public sealed interface Piece {
        record Text(String text) implements Piece {}

        record ToolCall(ToolCallDelta delta) implements Piece {}

        record Nothing() implements Piece {}
    }

    private static final Piece NOTHING = new Piece.Nothing();

    /** Applies one event and answers what it adds to the message. */
    public Piece accept(ServerSentEvent event) {
        JsonNode data = parse(event);
        String type = data.path("type").asText(event.type());
        if (type.equals("error")) {
            throw new ModelException(errors.fromErrorEvent(data));
        }
        if (type.equals("ping")) {
            return NOTHING;
        }
        if (!started && !type.equals("message_start")) {
            throw new ModelException(errors.malformed("stream", "'" + type + "' came before message_start"));
        }
        switch (type) {
            case "message_start" -> start(data.path("message"));
            case "content_block_start" -> {
                return blockStart(data.path("index").asInt(-1), data.path("content_block"));
            }
            case "content_block_delta" -> {
                return delta(data.path("index").asInt(-1), data.path("delta"));
            }
            case "message_delta" -> finish(data);
            case "message_stop" -> stopped = true;
            default -> {
                // content_block_stop carries nothing of its own; unknown types are skipped.
            }
        }
        return NOTHING;
    }

    /** Whether {@code message_stop} arrived: only then is the message whole. */
    public boolean complete() {
        return stopped;
    }

    /** The whole message, once {@link #complete()}; a refusal is {@link AnthropicErrors#refused}. */
    public ModelResponse.Chat answer() {
        if (MessageAnswer.refusal(stopReason)) {
            throw new ModelException(errors.refused(model));
        }
        return new ModelResponse.Chat(
                model,
                text.toString(),
                MessageAnswer.finishReason(stopReason),
                MessageAnswer.usage(input, cacheCreation, cacheRead, output),
                toolCalls.calls());
    }

    private JsonNode parse(ServerSentEvent event) {
        try {
            JsonNode data = WireJson.MAPPER.readTree(event.data());
            if (data == null || !data.isObject()) {
                throw new ModelException(errors.malformed("event", "'" + event.type() + "' data is not an object"));
            }
            return data;
        } catch (JsonProcessingException e) {
            throw new ModelException(
                    errors.malformed("event", "'" + event.type() + "' data is not JSON: " + e.getOriginalMessage()), e);
        }
    }

    private void start(JsonNode message) {
        started = true;
        model = message.path("model").asText(model);
        readUsage(message.path("usage"));
    }

    /** A tool_use block opens a tool call, numbered in the order the calls begin; other blocks add nothing yet. */
    private Piece blockStart(int index, JsonNode block) {
        if (!block.path("type").asText("").equals("tool_use")) {
            return NOTHING;
        }
        String id = block.path("id").asText("");
        String name = block.path("name").asText("");
        if (id.isEmpty() || name.isEmpty()) {
            throw new ModelException(errors.malformed("stream", "tool_use block " + index + " lacks an id or a name"));
        }
        int call = toolCallOfBlock.size();
        toolCallOfBlock.put(index, call);
        ToolCallDelta start = ToolCallDelta.start(call, id, name);
        toolCalls.add(start);
        return new Piece.ToolCall(start);
    }

    private Piece delta(int index, JsonNode delta) {
        switch (delta.path("type").asText("")) {
            case "text_delta" -> {
                String piece = delta.path("text").asText("");
                text.append(piece);
                return new Piece.Text(piece);
            }
            case "input_json_delta" -> {
                Integer call = toolCallOfBlock.get(index);
                if (call == null) {
                    throw new ModelException(
                            errors.malformed("stream", "input_json_delta for block " + index + ", not a tool_use"));
                }
                ToolCallDelta piece =
                        ToolCallDelta.arguments(call, delta.path("partial_json").asText(""));
                toolCalls.add(piece);
                return piece.argumentsDelta().isEmpty() ? NOTHING : new Piece.ToolCall(piece);
            }
            default -> {
                return NOTHING;
            }
        }
    }

    private void finish(JsonNode data) {
        stopReason = data.path("delta").path("stop_reason").asText(stopReason);
        readUsage(data.path("usage"));
    }

    /** Counts in a later event are cumulative, so each one present replaces the earlier reading. */
    private void readUsage(JsonNode usage) {
        input = MessageAnswer.count(usage, "input_tokens", input);
        cacheCreation = MessageAnswer.count(usage, "cache_creation_input_tokens", cacheCreation);
        cacheRead = MessageAnswer.count(usage, "cache_read_input_tokens", cacheRead);
        output = MessageAnswer.count(usage, "output_tokens", output);
    }
}
