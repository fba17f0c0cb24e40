package dev.pipewright.provider.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Json;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import java.io.IOException;

/**
 * Adds up the chunks of a streamed chat completion: the content deltas of the first choice, its finish reason, the
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
     * Takes one event's data and returns the text it adds (empty for chunks without content). An {@code error}
     * object fails the stream as its HTTP twin would; data that is not a chunk fails it as a bad gateway.
     */
    public String accept(String data) {
        if (DONE.equals(data.strip())) {
            done = true;
            return "";
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
        return delta;
    }

    public boolean done() {
        return done;
    }

    /** The whole answer, once the stream has ended properly. */
    public ModelResponse.Chat answer() {
        if (!done || finishReason == null) {
            throw new ModelException(failures.cutShort(model, finishReason == null ? "a finish_reason" : DONE));
        }
        return new ModelResponse.Chat(model, text.toString(), finishReason, usage);
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
