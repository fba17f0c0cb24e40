package dev.pipewright.provider.simulated.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/** Reading the fields both wire formats share, rejecting what a real provider would reject with a 400. */
final class RequestFields {
    private RequestFields() {}

    static String model(JsonNode body) {
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new BadRequest("model: a model name is required", "model");
        }
        return model.asText();
    }

    static JsonNode messages(JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new BadRequest("messages: at least one message is required", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw new BadRequest("messages." + i + ": a message needs a role", "messages");
            }
        }
        return messages;
    }

    /** The text of a content field: a string, or the text parts of an array of content blocks. */
    static String text(JsonNode content, String field) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw new BadRequest(field + ": expected a string or an array of content blocks", field);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            JsonNode part = block.get("text");
            if (part != null && part.isTextual()) {
                text.append(part.asText());
            }
        }
        return text.toString();
    }

    static OptionalInt positiveInt(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw new BadRequest(field + ": expected a positive integer, but was " + value, field);
        }
        return OptionalInt.of(value.asInt());
    }

    static boolean flag(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new BadRequest(field + ": expected a boolean, but was " + value, field);
        }
        return value.asBoolean();
    }
}
