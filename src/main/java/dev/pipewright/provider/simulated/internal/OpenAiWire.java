package dev.pipewright.provider.simulated.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;

/** The OpenAI wire format: chat completions (JSON and chunks), embeddings, the model list and the error shape. */
public final class OpenAiWire {
    /** The stream's end marker, sent after the last chunk. */
    public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    /** A chunk a broken upstream might send: a data line that is not JSON. */
    public static final byte[] MALFORMED_CHUNK = "data: {not json\n\n".getBytes(StandardCharsets.US_ASCII);

    private OpenAiWire() {}

    /** A chat completion request; {@code max_completion_tokens} is taken when {@code max_tokens} is absent. */
    public static ChatRequest chatRequest(JsonNode body) {
        String model = RequestFields.model(body);
        JsonNode messages = RequestFields.messages(body);
        int characters = 0;
        String prompt = "";
        for (int i = 0; i < messages.size(); i++) {
            prompt = RequestFields.text(messages.get(i).get("content"), "messages." + i + ".content");
            characters += prompt.length();
        }
        OptionalInt maxTokens = RequestFields.positiveInt(body, "max_tokens");
        if (maxTokens.isEmpty()) {
            maxTokens = RequestFields.positiveInt(body, "max_completion_tokens");
        }
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new ChatRequest(
                model,
                prompt,
                characters,
                maxTokens,
                RequestFields.flag(body, "stream"),
                includeUsage,
                toolTurn(body, messages.get(messages.size() - 1), prompt));
    }

    /**
     * A tool message last: quote its result. A user message last with tools offered (and tool_choice not none): call
     * the tool tool_choice names, else the first.
     */
    private static ToolTurn toolTurn(JsonNode body, JsonNode last, String lastText) {
        String role = last.path("role").asText();
        if (role.equals("tool")) {
            return new ToolTurn.QuoteResult(lastText);
        }
        JsonNode tools = body.path("tools");
        JsonNode choice = body.path("tool_choice");
        if (!role.equals("user")
                || !tools.isArray()
                || tools.isEmpty()
                || choice.asText().equals("none")) {
            return new ToolTurn.None();
        }
        String named = choice.path("function").path("name").asText("");
        for (JsonNode tool : tools) {
            JsonNode function = tool.path("function");
            String name = function.path("name").asText("");
            if (named.isEmpty() || named.equals(name)) {
                return new ToolTurn.CallTool(name, function.path("parameters"));
            }
        }
        throw new BadRequest("tool_choice: names a tool that is not among the tools", "tool_choice");
    }

    /** An embeddings request; inputs given as token arrays are taken as their JSON text. */
    public static EmbeddingRequest embeddingRequest(JsonNode body) {
        String model = RequestFields.model(body);
        JsonNode input = body.get("input");
        List<String> inputs = new ArrayList<>();
        if (input != null && input.isTextual()) {
            inputs.add(input.asText());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            for (JsonNode item : input) {
                inputs.add(item.isTextual() ? item.asText() : item.toString());
            }
        } else {
            throw new BadRequest("input: expected a string or a non-empty array", "input");
        }
        String format = body.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw new BadRequest("encoding_format: expected float or base64, but was " + format, "encoding_format");
        }
        return new EmbeddingRequest(
                model, inputs, format.equals("base64"), RequestFields.positiveInt(body, "dimensions"));
    }

    public static byte[] completion(
            String id, long created, String model, String text, String finishReason, long input, long output) {
        return WireJson.document(json -> {
            json.writeStartObject();
            header(json, id, "chat.completion", created, model);
            json.writeArrayFieldStart("choices");
            json.writeStartObject();
            json.writeNumberField("index", 0);
            json.writeObjectFieldStart("message");
            json.writeStringField("role", "assistant");
            json.writeStringField("content", text);
            json.writeNullField("refusal");
            json.writeEndObject();
            json.writeNullField("logprobs");
            json.writeStringField("finish_reason", finishReason);
            json.writeEndObject();
            json.writeEndArray();
            usage(json, input, output);
            json.writeEndObject();
        });
    }

    /** A chat completion whose message calls one tool, with no content and the finish reason tool_calls. */
    public static byte[] toolCallCompletion(
            String id,
            long created,
            String model,
            String callId,
            String name,
            String arguments,
            long input,
            long output) {
        return WireJson.document(json -> {
            json.writeStartObject();
            header(json, id, "chat.completion", created, model);
            json.writeArrayFieldStart("choices");
            json.writeStartObject();
            json.writeNumberField("index", 0);
            json.writeObjectFieldStart("message");
            json.writeStringField("role", "assistant");
            json.writeNullField("content");
            json.writeNullField("refusal");
            json.writeArrayFieldStart("tool_calls");
            json.writeStartObject();
            json.writeStringField("id", callId);
            json.writeStringField("type", "function");
            json.writeObjectFieldStart("function");
            json.writeStringField("name", name);
            json.writeStringField("arguments", arguments);
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeNullField("logprobs");
            json.writeStringField("finish_reason", "tool_calls");
            json.writeEndObject();
            json.writeEndArray();
            usage(json, input, output);
            json.writeEndObject();
        });
    }

    /**
     * A chunk with a piece of tool call 0: the first piece carries its id, type and name ({@code callId} and
     * {@code name} null on the others), every piece a fragment of the arguments.
     */
    public static byte[] toolCallChunk(
            String id, long created, String model, String callId, String name, String arguments) {
        return chunkFrame(id, created, model, null, json -> {
            json.writeArrayFieldStart("tool_calls");
            json.writeStartObject();
            json.writeNumberField("index", 0);
            if (callId != null) {
                json.writeStringField("id", callId);
                json.writeStringField("type", "function");
            }
            json.writeObjectFieldStart("function");
            if (name != null) {
                json.writeStringField("name", name);
            }
            json.writeStringField("arguments", arguments);
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
        });
    }

    /**
     * A {@code chat.completion.chunk} frame: the first carries the role, the middle ones content, the last only the
     * finish reason (pass null for what a chunk does not carry).
     */
    public static byte[] chunk(
            String id, long created, String model, String role, String content, String finishReason) {
        return chunkFrame(id, created, model, finishReason, json -> {
            if (role != null) {
                json.writeStringField("role", role);
            }
            if (content != null) {
                json.writeStringField("content", content);
            }
        });
    }

    /** A chunk of one choice whose {@code delta} object's fields {@code delta} writes; a null finish reason is sent as null. */
    private static byte[] chunkFrame(
            String id, long created, String model, String finishReason, WireJson.Writer delta) {
        return WireJson.data(json -> {
            json.writeStartObject();
            header(json, id, "chat.completion.chunk", created, model);
            json.writeArrayFieldStart("choices");
            json.writeStartObject();
            json.writeNumberField("index", 0);
            json.writeObjectFieldStart("delta");
            delta.write(json);
            json.writeEndObject();
            json.writeNullField("logprobs");
            json.writeStringField("finish_reason", finishReason);
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** The usage chunk sent after the last when {@code stream_options.include_usage} is set: empty choices. */
    public static byte[] usageChunk(String id, long created, String model, long input, long output) {
        return WireJson.data(json -> {
            json.writeStartObject();
            header(json, id, "chat.completion.chunk", created, model);
            json.writeArrayFieldStart("choices");
            json.writeEndArray();
            usage(json, input, output);
            json.writeEndObject();
        });
    }

    public static byte[] embeddings(String model, List<float[]> vectors, boolean base64, long inputTokens) {
        return WireJson.document(json -> {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (int i = 0; i < vectors.size(); i++) {
                json.writeStartObject();
                json.writeStringField("object", "embedding");
                json.writeNumberField("index", i);
                json.writeFieldName("embedding");
                writeVector(json, vectors.get(i), base64);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("model", model);
            json.writeObjectFieldStart("usage");
            json.writeNumberField("prompt_tokens", inputTokens);
            json.writeNumberField("total_tokens", inputTokens);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    public static byte[] models(Collection<String> ids, long created, String owner) {
        return WireJson.document(json -> {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (String id : ids) {
                json.writeStartObject();
                json.writeStringField("id", id);
                json.writeStringField("object", "model");
                json.writeNumberField("created", created);
                json.writeStringField("owned_by", owner);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** {@code {"error": {message, type, param, code}}}; {@code param} and {@code code} may be null. */
    public static byte[] error(String message, String type, String param, String code) {
        return WireJson.document(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("error");
            json.writeStringField("message", message);
            json.writeStringField("type", type);
            json.writeStringField("param", param);
            json.writeStringField("code", code);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void header(JsonGenerator json, String id, String object, long created, String model)
            throws IOException {
        json.writeStringField("id", id);
        json.writeStringField("object", object);
        json.writeNumberField("created", created);
        json.writeStringField("model", model);
        json.writeNullField("system_fingerprint");
    }

    private static void usage(JsonGenerator json, long input, long output) throws IOException {
        json.writeObjectFieldStart("usage");
        json.writeNumberField("prompt_tokens", input);
        json.writeNumberField("completion_tokens", output);
        json.writeNumberField("total_tokens", input + output);
        json.writeObjectFieldStart("prompt_tokens_details");
        json.writeNumberField("cached_tokens", 0);
        json.writeEndObject();
        json.writeObjectFieldStart("completion_tokens_details");
        json.writeNumberField("reasoning_tokens", 0);
        json.writeEndObject();
        json.writeEndObject();
    }

    /** Floats as a JSON array, or as OpenAI's base64 of the little-endian float32 bytes. */
    private static void writeVector(JsonGenerator json, float[] vector, boolean base64) throws IOException {
        if (base64) {
            ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(vector);
            json.writeString(Base64.getEncoder().encodeToString(bytes.array()));
            return;
        }
        json.writeStartArray();
        for (float component : vector) {
            json.writeNumber(component);
        }
        json.writeEndArray();
    }
}
