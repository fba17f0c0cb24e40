package dev.pipewright.provider.simulated.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/** The Anthropic Messages wire format: the message (JSON and its event stream) and the error shape. */
public final class AnthropicWire {
    /** A content delta a broken upstream might send: its data line is not JSON. */
    public static final byte[] MALFORMED_EVENT =
            "event: content_block_delta\ndata: {not json\n\n".getBytes(StandardCharsets.US_ASCII);

    public static final byte[] PING = WireJson.event("ping", json -> {
        json.writeStartObject();
        json.writeStringField("type", "ping");
        json.writeEndObject();
    });

    public static final byte[] CONTENT_BLOCK_START = WireJson.event("content_block_start", json -> {
        json.writeStartObject();
        json.writeStringField("type", "content_block_start");
        json.writeNumberField("index", 0);
        json.writeObjectFieldStart("content_block");
        json.writeStringField("type", "text");
        json.writeStringField("text", "");
        json.writeEndObject();
        json.writeEndObject();
    });

    public static final byte[] CONTENT_BLOCK_STOP = WireJson.event("content_block_stop", json -> {
        json.writeStartObject();
        json.writeStringField("type", "content_block_stop");
        json.writeNumberField("index", 0);
        json.writeEndObject();
    });

    public static final byte[] MESSAGE_STOP = WireJson.event("message_stop", json -> {
        json.writeStartObject();
        json.writeStringField("type", "message_stop");
        json.writeEndObject();
    });

    private AnthropicWire() {}

    /** A Messages request; {@code max_tokens} is required, as the real API requires it. */
    public static ChatRequest messagesRequest(JsonNode body) {
        String model = RequestFields.model(body);
        JsonNode messages = RequestFields.messages(body);
        OptionalInt maxTokens = RequestFields.positiveInt(body, "max_tokens");
        if (maxTokens.isEmpty()) {
            throw new BadRequest("max_tokens: Field required", "max_tokens");
        }
        int characters = RequestFields.text(body.get("system"), "system").length();
        String prompt = "";
        for (int i = 0; i < messages.size(); i++) {
            prompt = RequestFields.text(messages.get(i).get("content"), "messages." + i + ".content");
            characters += prompt.length();
        }
        return new ChatRequest(
                model,
                prompt,
                characters,
                maxTokens,
                RequestFields.flag(body, "stream"),
                false,
                toolTurn(body, messages.get(messages.size() - 1)));
    }

    /**
     * A user message last that hands back a tool_result: quote it. A user message last otherwise, with tools offered
     * (and tool_choice not none): call the tool tool_choice names, else the first.
     */
    private static ToolTurn toolTurn(JsonNode body, JsonNode last) {
        if (!last.path("role").asText().equals("user")) {
            return new ToolTurn.None();
        }
        for (JsonNode block : last.path("content")) {
            if (block.path("type").asText().equals("tool_result")) {
                return new ToolTurn.QuoteResult(RequestFields.text(block.get("content"), "tool_result.content"));
            }
        }
        JsonNode tools = body.path("tools");
        JsonNode choice = body.path("tool_choice");
        if (!tools.isArray() || tools.isEmpty() || choice.path("type").asText().equals("none")) {
            return new ToolTurn.None();
        }
        String named = choice.path("type").asText().equals("tool")
                ? choice.path("name").asText("")
                : "";
        for (JsonNode tool : tools) {
            String name = tool.path("name").asText("");
            if (named.isEmpty() || named.equals(name)) {
                return new ToolTurn.CallTool(name, tool.path("input_schema"));
            }
        }
        throw new BadRequest("tool_choice.name: names a tool that is not among the tools", "tool_choice");
    }

    public static byte[] message(String id, String model, String text, String stopReason, long input, long output) {
        return WireJson.document(json -> {
            json.writeStartObject();
            messageFields(json, id, model);
            json.writeArrayFieldStart("content");
            json.writeStartObject();
            json.writeStringField("type", "text");
            json.writeStringField("text", text);
            json.writeEndObject();
            json.writeEndArray();
            json.writeStringField("stop_reason", stopReason);
            json.writeNullField("stop_sequence");
            usage(json, input, output);
            json.writeEndObject();
        });
    }

    /** A message that calls one tool: a single tool_use block, stop reason tool_use. */
    public static byte[] toolUseMessage(
            String id, String model, String callId, String name, String arguments, long input, long output) {
        return WireJson.document(json -> {
            json.writeStartObject();
            messageFields(json, id, model);
            json.writeArrayFieldStart("content");
            json.writeStartObject();
            json.writeStringField("type", "tool_use");
            json.writeStringField("id", callId);
            json.writeStringField("name", name);
            json.writeFieldName("input");
            json.writeRawValue(arguments);
            json.writeEndObject();
            json.writeEndArray();
            json.writeStringField("stop_reason", "tool_use");
            json.writeNullField("stop_sequence");
            usage(json, input, output);
            json.writeEndObject();
        });
    }

    /** Opens tool_use block 0, whose input follows as {@link #inputJsonDelta} events. */
    public static byte[] toolUseBlockStart(String callId, String name) {
        return WireJson.event("content_block_start", json -> {
            json.writeStartObject();
            json.writeStringField("type", "content_block_start");
            json.writeNumberField("index", 0);
            json.writeObjectFieldStart("content_block");
            json.writeStringField("type", "tool_use");
            json.writeStringField("id", callId);
            json.writeStringField("name", name);
            json.writeObjectFieldStart("input");
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    public static byte[] inputJsonDelta(String partialJson) {
        return WireJson.event("content_block_delta", json -> {
            json.writeStartObject();
            json.writeStringField("type", "content_block_delta");
            json.writeNumberField("index", 0);
            json.writeObjectFieldStart("delta");
            json.writeStringField("type", "input_json_delta");
            json.writeStringField("partial_json", partialJson);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** The opening event: the message without content, with the input usage known so far. */
    public static byte[] messageStart(String id, String model, long input) {
        return WireJson.event("message_start", json -> {
            json.writeStartObject();
            json.writeStringField("type", "message_start");
            json.writeObjectFieldStart("message");
            messageFields(json, id, model);
            json.writeArrayFieldStart("content");
            json.writeEndArray();
            json.writeNullField("stop_reason");
            json.writeNullField("stop_sequence");
            usage(json, input, 1);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    public static byte[] textDelta(String text) {
        return WireJson.event("content_block_delta", json -> {
            json.writeStartObject();
            json.writeStringField("type", "content_block_delta");
            json.writeNumberField("index", 0);
            json.writeObjectFieldStart("delta");
            json.writeStringField("type", "text_delta");
            json.writeStringField("text", text);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** The closing message delta: why the message stopped and the final output token count. */
    public static byte[] messageDelta(String stopReason, long output) {
        return WireJson.event("message_delta", json -> {
            json.writeStartObject();
            json.writeStringField("type", "message_delta");
            json.writeObjectFieldStart("delta");
            json.writeStringField("stop_reason", stopReason);
            json.writeNullField("stop_sequence");
            json.writeEndObject();
            json.writeObjectFieldStart("usage");
            json.writeNumberField("output_tokens", output);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** {@code {"type": "error", "error": {type, message}}}. */
    public static byte[] error(String type, String message) {
        return WireJson.document(json -> {
            json.writeStartObject();
            json.writeStringField("type", "error");
            json.writeObjectFieldStart("error");
            json.writeStringField("type", type);
            json.writeStringField("message", message);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void messageFields(JsonGenerator json, String id, String model) throws IOException {
        json.writeStringField("id", id);
        json.writeStringField("type", "message");
        json.writeStringField("role", "assistant");
        json.writeStringField("model", model);
    }

    private static void usage(JsonGenerator json, long input, long output) throws IOException {
        json.writeObjectFieldStart("usage");
        json.writeNumberField("input_tokens", input);
        json.writeNumberField("cache_creation_input_tokens", 0);
        json.writeNumberField("cache_read_input_tokens", 0);
        json.writeNumberField("output_tokens", output);
        json.writeEndObject();
    }
}
