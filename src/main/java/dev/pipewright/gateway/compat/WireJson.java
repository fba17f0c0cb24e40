package dev.pipewright.gateway.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.Json;
import dev.pipewright.model.ToolCall;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes the compatible routes' bodies and server-sent-event frames. */
final class WireJson {
    static final ObjectMapper MAPPER = Json.mapper();

    private WireJson() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A frame with only a data line, as OpenAI streams. */
    static byte[] data(ObjectNode node) {
        return ("data: " + text(node) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A named event, as Anthropic streams. */
    static byte[] event(String name, ObjectNode node) {
        return ("event: " + name + "\ndata: " + text(node) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A tool call's arguments as the JSON object the Messages API carries in {@code input}.
     *
     * @throws IllegalStateException when the model wrote arguments that are not a JSON object
     */
    static ObjectNode arguments(ToolCall call) {
        try {
            JsonNode input = MAPPER.readTree(call.arguments());
            if (input instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            // Reported below with the call that held them.
        }
        throw new IllegalStateException("the arguments of tool call " + call.id() + " to " + call.name()
                + " are not a JSON object: " + call.arguments());
    }

    private static String text(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
