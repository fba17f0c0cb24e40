package dev.pipewright.gateway.compat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.ToolCallDelta;
import dev.pipewright.model.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * OpenAI's wire format as the official SDKs parse it: {@code chat.completion}, the {@code chat.completion.chunk}
 * frames of a stream, embeddings (float arrays or base64 of little-endian float32), the model list and the error
 * shape {@code {"error": {message, type, param, code}}}.
 */
public final class OpenAiWireFormat {
    public static final String OWNER = "pipewright";
    public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private OpenAiWireFormat() {}

    public static byte[] completion(String id, long created, String model, ModelResponse.Chat answer) {
        ObjectNode body = header(id, "chat.completion", created, model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (answer.text().isEmpty() && !answer.toolCalls().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", answer.text());
        }
        message.putNull("refusal");
        if (!answer.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : answer.toolCalls()) {
                ObjectNode node = calls.addObject().put("id", call.id()).put("type", "function");
                node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.putNull("logprobs").put("finish_reason", finishReason(answer.finishReason()));
        usage(body, answer.usage());
        return WireJson.bytes(body);
    }

    /**
     * A {@code chat.completion.chunk} frame: the first carries the role, the middle ones content, the last only the
     * finish reason (null for what a chunk does not carry).
     */
    public static byte[] chunk(String id, long created, String model, String role, String content, String finish) {
        ObjectNode body = header(id, "chat.completion.chunk", created, model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        if (content != null) {
            delta.put("content", content);
        }
        choice.putNull("logprobs").put("finish_reason", finish == null ? null : finishReason(finish));
        return WireJson.data(body);
    }

    /**
     * A chunk with a piece of a tool call: its first piece carries the call's id, type and name, every piece its
     * index and a fragment of the arguments.
     */
    public static byte[] toolCallChunk(String id, long created, String model, ToolCallDelta piece) {
        ObjectNode body = header(id, "chat.completion.chunk", created, model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        ObjectNode call =
                choice.putObject("delta").putArray("tool_calls").addObject().put("index", piece.index());
        piece.id().ifPresent(callId -> call.put("id", callId).put("type", "function"));
        ObjectNode function = call.putObject("function");
        piece.name().ifPresent(name -> function.put("name", name));
        function.put("arguments", piece.argumentsDelta());
        choice.putNull("logprobs").putNull("finish_reason");
        return WireJson.data(body);
    }

    /** The chunk after the last when {@code stream_options.include_usage} is set: empty choices, the usage. */
    public static byte[] usageChunk(String id, long created, String model, Usage usage) {
        ObjectNode body = header(id, "chat.completion.chunk", created, model);
        body.putArray("choices");
        usage(body, usage);
        return WireJson.data(body);
    }

    public static byte[] embeddings(String model, List<float[]> vectors, boolean base64, Usage usage) {
        ObjectNode body = WireJson.object().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                item.put("embedding", base64(vectors.get(i)));
            } else {
                ArrayNode numbers = item.putArray("embedding");
                for (float component : vectors.get(i)) {
                    numbers.add(component);
                }
            }
        }
        body.put("model", model);
        body.putObject("usage").put("prompt_tokens", usage.inputTokens()).put("total_tokens", usage.inputTokens());
        return WireJson.bytes(body);
    }

    /** The vector as OpenAI's base64 encoding: the little-endian float32 bytes. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    public static byte[] models(Collection<String> ids, long created) {
        ObjectNode body = WireJson.object().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String id : ids) {
            data.add(modelNode(id, created));
        }
        return WireJson.bytes(body);
    }

    public static byte[] model(String id, long created) {
        return WireJson.bytes(modelNode(id, created));
    }

    private static ObjectNode modelNode(String id, long created) {
        return WireJson.object()
                .put("id", id)
                .put("object", "model")
                .put("created", created)
                .put("owned_by", OWNER);
    }

    public static byte[] error(WireError error) {
        return WireJson.bytes(errorNode(error));
    }

    /** The frame that ends a stream which failed after it started: no {@code [DONE]} follows it. */
    public static byte[] streamError(WireError error) {
        return WireJson.data(errorNode(error));
    }

    private static ObjectNode errorNode(WireError error) {
        ObjectNode body = WireJson.object();
        body.putObject("error")
                .put("message", error.message())
                .put("type", error.openAiType())
                .put("param", error.param().orElse(null))
                .put("code", error.code().orElse(null));
        return body;
    }

    /** A model's finish reason in OpenAI's words, whichever provider's words it came in. */
    static String finishReason(String reason) {
        return switch (reason) {
            case "length", "max_tokens" -> "length";
            case "content_filter", "refusal" -> "content_filter";
            case "tool_calls", "tool_use" -> "tool_calls";
            default -> "stop";
        };
    }

    private static ObjectNode header(String id, String object, long created, String model) {
        ObjectNode body = WireJson.object()
                .put("id", id)
                .put("object", object)
                .put("created", created)
                .put("model", model);
        body.putNull("system_fingerprint");
        return body;
    }

    private static void usage(ObjectNode body, Usage usage) {
        ObjectNode node = body.putObject("usage")
                .put("prompt_tokens", usage.inputTokens())
                .put("completion_tokens", usage.outputTokens())
                .put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", 0);
    }
}
