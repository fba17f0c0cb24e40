package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ToolCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the JSON message of a non-streamed answer. */
public final class MessageReply {
    private MessageReply() {}

    /**
     * The answer in {@code body}: its text blocks joined, its tool_use blocks as tool calls, its stop reason and
     * usage. A body that is not a message is
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
        List<ToolCall> toolCalls = new ArrayList<>();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> toolCalls.add(toolCall(block, errors));
                default -> {
                    // Thinking and server tool blocks carry nothing this answer reports.
                }
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
                        MessageAnswer.count(usage, "output_tokens", 0)),
                toolCalls);
    }

    private static ToolCall toolCall(JsonNode block, AnthropicErrors errors) {
        String id = block.path("id").asText("");
        String name = block.path("name").asText("");
        JsonNode input = block.path("input");
        if (id.isEmpty() || name.isEmpty() || !input.isObject()) {
            throw new ModelException(errors.malformed("tool_use block", "it lacks an id, a name or an input object"));
        }
        return new ToolCall(id, name, input.toString());
    }
}
