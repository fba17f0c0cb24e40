package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Anthropic's error shape, {@code {"type": "error", "error": {"type": ..., "message": ...}}}; a body that is not of
 * that shape (a proxy's HTML page) keeps its first characters as the message.
 */
record ErrorBody(String type, String message) {
    private static final int SNIPPET = 200;

    static ErrorBody parse(byte[] body) {
        try {
            JsonNode error = WireJson.MAPPER.readTree(body).path("error");
            if (error.isObject()) {
                return new ErrorBody(
                        error.path("type").asText(""), error.path("message").asText(""));
            }
        } catch (IOException notJson) {
            // Not Anthropic's shape: the raw text below is all there is to report.
        }
        String text =
                new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        return new ErrorBody("", text.length() <= SNIPPET ? text : text.substring(0, SNIPPET));
    }

    String describe() {
        return type.isEmpty() ? message : type + ": " + message;
    }
}
