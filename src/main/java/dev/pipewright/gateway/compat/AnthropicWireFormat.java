package dev.pipewright.gateway.compat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.Usage;

/**
 * Anthropic's Messages wire format as the official SDKs parse it: the {@code message}, the events of a stream in the
 * order the API sends them, and the error shape {@code {"type": "error", "error": {type, message}}}.
 */
public final class AnthropicWireFormat {
    private AnthropicWireFormat() {}

    public static byte[] message(String id, String model, ModelResponse.Chat answer) {
        ObjectNode body = messageNode(id, model);
        ArrayNode content = body.putArray("content");
        if (!answer.text().isEmpty() || answer.toolCalls().isEmpty()) {
            content.addObject().put("type", "text").put("text", answer.text());
        }
        for (ToolCall call : answer.toolCalls()) {
            content.addObject()
                    .put("type", "tool_use")
                    .put("id", call.id())
                    .put("name", call.name())
                    .set("input", WireJson.arguments(call));
        }
        body.put("stop_reason", stopReason(answer.finishReason())).putNull("stop_sequence");
        usage(
                body,
                answer.usage().inputTokens(),
                answer.usage().outputTokens(),
                answer.usage().cachedInputTokens());
        return WireJson.bytes(body);
    }

    /**
     * The opening event. The input tokens are not known before the model has answered, so they are sent as 0 here
     * and in full with {@link #messageDelta}.
     */
    public static byte[] messageStart(String id, String model) {
        ObjectNode message = messageNode(id, model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        usage(message, 0, 0, 0);
        ObjectNode event = WireJson.object().put("type", "message_start");
        event.set("message", message);
        return WireJson.event("message_start", event);
    }

    /** Opens the text block at {@code index}. */
    public static byte[] textBlockStart(int index) {
        ObjectNode event = WireJson.object().put("type", "content_block_start").put("index", index);
        event.putObject("content_block").put("type", "text").put("text", "");
        return WireJson.event("content_block_start", event);
    }

    /** Opens the tool_use block at {@code index}; its input follows as {@link #inputJsonDelta} events. */
    public static byte[] toolUseBlockStart(int index, String id, String name) {
        ObjectNode event = WireJson.object().put("type", "content_block_start").put("index", index);
        ObjectNode block = event.putObject("content_block")
                .put("type", "tool_use")
                .put("id", id)
                .put("name", name);
        block.putObject("input");
        return WireJson.event("content_block_start", event);
    }

    public static byte[] ping() {
        return WireJson.event("ping", WireJson.object().put("type", "ping"));
    }

    public static byte[] textDelta(int index, String text) {
        ObjectNode event = WireJson.object().put("type", "content_block_delta").put("index", index);
        event.putObject("delta").put("type", "text_delta").put("text", text);
        return WireJson.event("content_block_delta", event);
    }

    /** A fragment of a tool_use block's input JSON. */
    public static byte[] inputJsonDelta(int index, String partialJson) {
        ObjectNode event = WireJson.object().put("type", "content_block_delta").put("index", index);
        event.putObject("delta").put("type", "input_json_delta").put("partial_json", partialJson);
        return WireJson.event("content_block_delta", event);
    }

    public static byte[] contentBlockStop(int index) {
        return WireJson.event(
                "content_block_stop",
                WireJson.object().put("type", "content_block_stop").put("index", index));
    }

    /** The closing delta: why the message stopped, and the whole usage now that it is known. */
    public static byte[] messageDelta(String finishReason, Usage usage) {
        ObjectNode event = WireJson.object().put("type", "message_delta");
        event.putObject("delta").put("stop_reason", stopReason(finishReason)).putNull("stop_sequence");
        usage(event, usage.inputTokens(), usage.outputTokens(), usage.cachedInputTokens());
        return WireJson.event("message_delta", event);
    }

    public static byte[] messageStop() {
        return WireJson.event("message_stop", WireJson.object().put("type", "message_stop"));
    }

    public static byte[] error(WireError error) {
        return WireJson.bytes(errorNode(error));
    }

    /** The event that ends a stream which failed after it started: no {@code message_stop} follows it. */
    public static byte[] errorEvent(WireError error) {
        return WireJson.event("error", errorNode(error));
    }

    private static ObjectNode errorNode(WireError error) {
        ObjectNode body = WireJson.object().put("type", "error");
        body.putObject("error").put("type", error.anthropicType()).put("message", error.message());
        return body;
    }

    /** A model's finish reason in Anthropic's words, whichever provider's words it came in. */
    static String stopReason(String reason) {
        return switch (reason) {
            case "length", "max_tokens" -> "max_tokens";
            case "content_filter", "refusal" -> "refusal";
            case "tool_calls", "tool_use" -> "tool_use";
            default -> "end_turn";
        };
    }

    private static ObjectNode messageNode(String id, String model) {
        return WireJson.object()
                .put("id", id)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
    }

    private static void usage(ObjectNode body, long input, long output, long cachedInput) {
        body.putObject("usage")
                .put("input_tokens", input)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", cachedInput)
                .put("output_tokens", output);
    }
}
