package dev.pipewright.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool the model may call: its name, what it does, and the JSON Schema of its arguments (an object schema). The
 * name takes the characters both OpenAI and Anthropic accept, so that a request can be served by either.
 */
public record Tool(String name, String description, JsonNode parameters) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    public Tool {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a tool name must be 1 to 64 letters, digits, '_' or '-', but was '" + name + "'");
        }
        Objects.requireNonNull(description, "description");
        if (parameters == null || !parameters.isObject()) {
            throw new IllegalArgumentException("the parameters of tool " + name + " must be a JSON Schema object");
        }
        parameters = parameters.deepCopy();
    }
}
