package dev.pipewright.provider.openai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.Json;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.ToolChoice;
import dev.pipewright.model.Usage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * OpenAI's Chat Completions and Embeddings wire formats, as the API reference describes them. A response that lacks
 * what the reference promises throws {@link MalformedAnswer}, which the client reports as a bad gateway.
 */
public final class OpenAiWire {
    private static final ObjectMapper JSON = Json.mapper();

    private OpenAiWire() {}

    /** Which field carries the output token limit: OpenAI's current one, or the older one compatible servers read. */
    public enum MaxTokensField {
        MAX_COMPLETION_TOKENS("max_completion_tokens"),
        MAX_TOKENS("max_tokens");

        private final String wireName;

        MaxTokensField(String wireName) {
            this.wireName = wireName;
        }
    }

    /** A chat completion request; a stream asks for the usage chunk that ends it. */
    public static byte[] chatRequest(ModelRequest.Chat chat, String model, boolean stream, MaxTokensField maxTokens) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : chat.messages()) {
            messages(message, messages);
        }
        chat.maxTokens().ifPresent(limit -> body.put(maxTokens.wireName, limit));
        chat.temperature().ifPresent(temperature -> body.put("temperature", temperature));
        chat.providerFields().forEach(body::set);
        tools(chat, body);
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return bytes(body);
    }

    /**
     * The tools as function tools, the tool choice when there are tools or it says none, and
     * {@code parallel_tool_calls: false} when the request asks for one call a turn.
     */
    private static void tools(ModelRequest.Chat chat, ObjectNode body) {
        if (!chat.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (Tool tool : chat.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    function.put("description", tool.description());
                }
                function.set("parameters", tool.parameters());
            }
        }
        switch (chat.toolChoice()) {
            case ToolChoice.Auto auto -> {
                if (!chat.tools().isEmpty()) {
                    body.put("tool_choice", "auto");
                }
            }
            case ToolChoice.None none -> {
                if (!chat.tools().isEmpty()) {
                    body.put("tool_choice", "none");
                }
            }
            case ToolChoice.Required required -> body.put("tool_choice", "required");
            case ToolChoice.Named named ->
                body.putObject("tool_choice")
                        .put("type", "function")
                        .putObject("function")
                        .put("name", named.name());
        }
        // OpenAI refuses parallel_tool_calls without tools.
        if (!chat.parallelToolCalls() && !chat.tools().isEmpty()) {
            body.put("parallel_tool_calls", false);
        }
    }

    /**
     * A message as the Chat Completions API takes it. Tool results become {@code role: tool} messages, one per
     * result, before whatever else the user message holds; an assistant's tool calls go in {@code tool_calls}. The
     * content is a plain string when it is text only, the form every compatible server takes, content parts
     * ({@code text}, {@code image_url}) when it carries an image, and null for an assistant that only calls tools.
     */
    private static void messages(ChatMessage message, ArrayNode messages) {
        ArrayNode parts = JSON.createArrayNode();
        StringBuilder text = new StringBuilder();
        boolean image = false;
        ArrayNode toolCalls = JSON.createArrayNode();
        for (ContentPart part : message.content()) {
            switch (part) {
                case ContentPart.ToolResult result ->
                    messages.addObject()
                            .put("role", "tool")
                            .put("tool_call_id", result.toolCallId())
                            .put("content", result.content());
                case ContentPart.ToolUse use -> {
                    ToolCall call = use.call();
                    ObjectNode entry =
                            toolCalls.addObject().put("id", call.id()).put("type", "function");
                    entry.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                }
                case ContentPart.Text words -> {
                    text.append(words.text());
                    parts.addObject().put("type", "text").put("text", words.text());
                }
                case ContentPart.Image picture -> {
                    image = true;
                    parts.addObject()
                            .put("type", "image_url")
                            .putObject("image_url")
                            .put("url", picture.url());
                }
            }
        }
        if (parts.isEmpty() && toolCalls.isEmpty()) {
            return;
        }
        ObjectNode node = messages.addObject().put("role", message.role().name().toLowerCase(Locale.ROOT));
        if (parts.isEmpty()) {
            node.putNull("content");
        } else if (image) {
            node.set("content", parts);
        } else {
            node.put("content", text.toString());
        }
        if (!toolCalls.isEmpty()) {
            node.set("tool_calls", toolCalls);
        }
    }

    /** An embeddings request; base64 carries each float in 4 bytes of text instead of up to 12 decimal digits. */
    public static byte[] embeddingRequest(ModelRequest.Embedding embedding, String model) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode input = body.putArray("input");
        embedding.inputs().forEach(input::add);
        body.put("encoding_format", "base64");
        return bytes(body);
    }

    public static JsonNode parse(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw new MalformedAnswer("a JSON object was expected");
            }
            return root;
        } catch (IOException e) {
            throw new MalformedAnswer("not JSON: " + e.getMessage());
        }
    }

    /** The answer of a chat completion: the first choice's message. */
    public static ModelResponse.Chat chatResponse(JsonNode body, String requestedModel) {
        JsonNode choice = body.path("choices").path(0);
        if (!choice.isObject()) {
            throw new MalformedAnswer("no choices");
        }
        JsonNode content = choice.path("message").path("content");
        String text = content.isTextual() ? content.asText() : "";
        return new ModelResponse.Chat(
                model(body, requestedModel),
                text,
                choice.path("finish_reason").asText("stop"),
                usage(body.path("usage")),
                toolCalls(choice.path("message").path("tool_calls")));
    }

    /** The function calls of an answer's message; a call without an id or a name is malformed. */
    private static List<ToolCall> toolCalls(JsonNode calls) {
        List<ToolCall> result = new ArrayList<>();
        for (JsonNode call : calls) {
            String id = call.path("id").asText("");
            String name = call.path("function").path("name").asText("");
            JsonNode arguments = call.path("function").path("arguments");
            if (id.isEmpty() || name.isEmpty()) {
                throw new MalformedAnswer("a tool call lacks its id or its function name: " + call);
            }
            result.add(new ToolCall(id, name, arguments.isTextual() ? arguments.textValue() : "{}"));
        }
        return result;
    }

    /** The vectors of an embeddings answer, in input order, whether they came as float arrays or base64. */
    public static ModelResponse.Embedding embeddingResponse(JsonNode body, String requestedModel, int inputs) {
        JsonNode data = body.path("data");
        if (!data.isArray() || data.size() != inputs) {
            throw new MalformedAnswer("expected " + inputs + " embeddings, but data held " + data.size());
        }
        float[][] vectors = new float[inputs][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            if (index < 0 || index >= inputs || vectors[index] != null) {
                throw new MalformedAnswer("embedding index " + item.path("index") + " is out of place");
            }
            vectors[index] = vector(item.path("embedding"));
        }
        return new ModelResponse.Embedding(model(body, requestedModel), List.of(vectors), usage(body.path("usage")));
    }

    static float[] vector(JsonNode embedding) {
        if (embedding.isTextual()) {
            return littleEndianFloats(embedding.asText());
        }
        if (!embedding.isArray()) {
            throw new MalformedAnswer("an embedding is neither a float array nor base64");
        }
        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = embedding.get(i);
            if (!value.isNumber()) {
                throw new MalformedAnswer("an embedding holds a non-number: " + value);
            }
            vector[i] = value.floatValue();
        }
        return vector;
    }

    private static float[] littleEndianFloats(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MalformedAnswer("an embedding is not valid base64");
        }
        if (bytes.length % Float.BYTES != 0) {
            throw new MalformedAnswer("a base64 embedding of " + bytes.length + " bytes is not whole float32s");
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    /**
     * Usage as OpenAI reports it; {@code prompt_tokens_details.cached_tokens} is the cached part of the input.
     * Absent usage (a compatible server that does not count) is no usage.
     */
    public static Usage usage(JsonNode usage) {
        if (!usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(
                usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
    }

    static String model(JsonNode body, String requestedModel) {
        String model = body.path("model").asText("");
        return model.isBlank() ? requestedModel : model;
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** What the API reference promises is missing from an answer. */
    public static final class MalformedAnswer extends RuntimeException {
        public MalformedAnswer(String message) {
            super(message);
        }
    }
}
