package dev.pipewright.provider.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Json;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ToolCallAssembly;
import dev.pipewright.model.ToolCallDelta;
import dev.pipewright.model.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds up the chunks of a streamed chat completion: the content and tool call deltas of the first choice, its finish
 * reason, the
 * usage chunk that {@code stream_options.include_usage} asks for, and the {@code [DONE]} marker. Only a stream that
 * reached {@code [DONE]} after a finish reason is an answer; anything shorter is a cut connection. Not thread safe:
 * one per stream.
 */
public final class ChatStream {
    public static final String DONE = "[DONE]";
    private static final ObjectMapper JSON = Json.mapper();

    private final String requestedModel;
    private final OpenAiFailures failures;
    private final StringBuilder text = new StringBuilder();
    private final ToolCallAssembly toolCalls = new ToolCallAssembly();
    private String model;
    private String finishReason;
    private Usage usage = Usage.NONE;
    private boolean done;

    public ChatStream(String requestedModel, OpenAiFailures failures) {
        this.requestedModel = requestedModel;
        this.model = requestedModel;
        this.failures = failures;
    }

    /**
     * Takes one event's data and returns what it adds: text, and pieces of tool calls (each {@code tool_calls}
     * entry of the delta, keyed by its index; the first names the call, the rest add fragments of its arguments).
     * An {@code error} object fails the stream as its HTTP twin would; data that is not a chunk fails it as a bad
     * gateway.
     */
    public ChatDelta accept(String data) {
        if (DONE.equals(data.strip())) {
            done = true;
            return ChatDelta.NONE;
        }
        JsonNode chunk = chunk(data);
        JsonNode error = chunk.path("error");
        if (error.isObject()) {
            throw new ModelException(failures.fromStreamError(model, error));
        }
        String chunkModel = chunk.path("model").asText("");
        if (!chunkModel.isBlank()) {
            model = chunkModel;
        }
        if (chunk.path("usage").isObject()) {
            usage = OpenAiWire.usage(chunk.path("usage"));
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.path("finish_reason").asText();
        }
        JsonNode content = choice.path("delta").path("content");
        String delta = content.isTextual() ? content.asText() : "";
        text.append(delta);
        List<ToolCallDelta> calls = new ArrayList<>();
        for (JsonNode call : choice.path("delta").path("tool_calls")) {
            calls.add(toolCall(call, data));
        }
        calls.forEach(toolCalls::add);
        return new ChatDelta(delta, calls);
    }

    private ToolCallDelta toolCall(JsonNode call, String data) {
        JsonNode index = call.path("index");
        JsonNode arguments = call.path("function").path("arguments");
        if (!index.canConvertToInt() || index.intValue() < 0) {
            throw new ModelException(failures.malformed(model, "tool call delta without an index", data));
        }
        return new ToolCallDelta(
                index.intValue(),
                text(call.path("id")),
                text(call.path("function").path("name")),
                arguments.isTextual() ? arguments.textValue() : "");
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.textValue().isEmpty() ? Optional.of(node.textValue()) : Optional.empty();
    }

    public boolean done() {
        return done;
    }

    /** The whole answer, once the stream has ended properly. */
    public ModelResponse.Chat answer() {
        if (!done || finishReason == null) {
            throw new ModelException(failures.cutShort(model, finishReason == null ? "a finish_reason" : DONE));
        }
        try {
            return new ModelResponse.Chat(model, text.toString(), finishReason, usage, toolCalls.calls());
        } catch (IllegalArgumentException e) {
            throw new ModelException(failures.malformed(model, "stream", e.getMessage()), e);
        }
    }

    private JsonNode chunk(String data) {
        JsonNode chunk;
        try {
            chunk = JSON.readTree(data);
        } catch (IOException e) {
            throw new ModelException(failures.malformed(model, "stream chunk", data), e);
        }
        if (chunk == null || !chunk.isObject()) {
            throw new ModelException(failures.malformed(model, "stream chunk", data));
        }
        return chunk;
    }
}
