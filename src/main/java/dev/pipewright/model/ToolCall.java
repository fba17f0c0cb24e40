package dev.pipewright.model;

/**
 * A model's call of a tool: the id the tool's result must quote, the tool's name, and its arguments as the JSON text
 * the model wrote (not parsed here: a model may write invalid JSON, and the caller decides what to do with it).
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a tool call needs an id");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tool call " + id + " needs a tool name");
        }
        if (arguments == null) {
            throw new IllegalArgumentException("tool call " + id + " needs arguments (at least {})");
        }
    }
}
