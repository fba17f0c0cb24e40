package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelResponse;
import java.io.IOException;

/** Reads the JSON message of a non-streamed answer. */
public final class MessageReply {
    private MessageReply() {}

    /**
     * The answer in {@code body}: its text blocks joined, its stop reason and usage. A body that is not a message is
     * {@link AnthropicErrors#malformed}; a refusal is {@link AnthropicErrors#refused}.
     */
    public static ModelResponse.Chat read(byte[] body, String requestedModel, AnthropicErrors errors) {
        JsonNode message;
        try {
            message = WireJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ModelException(
                    errors.malformed(
                            "message",
                            e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()),
                    e);
        }
        if (message == null || !message.path("type").asText("").equals("message")) {
            throw new ModelException(errors.malformed("message", "its type was not 'message'"));
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : message.path("content")) {
            if (block.path("type").asText("").equals("text")) {
                text.append(block.path("text").asText(""));
            }
        }
        String model = message.path("model").asText(requestedModel);
        String stopReason = message.path("stop_reason").asText("");
        if (MessageAnswer.refusal(stopReason)) {
            throw new ModelException(errors.refused(model));
        }
        JsonNode usage = message.path("usage");
        return new ModelResponse.Chat(
                model,
                text.toString(),
                MessageAnswer.finishReason(stopReason),
                MessageAnswer.usage(
                        MessageAnswer.count(usage, "input_tokens", 0),
                        MessageAnswer.count(usage, "cache_creation_input_tokens", 0),
                        MessageAnswer.count(usage, "cache_read_input_tokens", 0),
                        MessageAnswer.count(usage, "output_tokens", 0)));
    }
}
