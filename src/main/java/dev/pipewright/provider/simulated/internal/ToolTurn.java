package dev.pipewright.provider.simulated.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a simulated model does about tools in its answer: nothing (plain text), call a tool (the request offers tools
 * and its last message is the user's), or quote a tool's result (the last message hands one back).
 */
public sealed interface ToolTurn permits ToolTurn.None, ToolTurn.CallTool, ToolTurn.QuoteResult {

    record None() implements ToolTurn {}

    /** Call the tool {@code name} with arguments built from {@code parameters}, its JSON Schema. */
    record CallTool(String name, JsonNode parameters) implements ToolTurn {
        public CallTool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(parameters, "parameters");
        }
    }

    record QuoteResult(String content) implements ToolTurn {
        public QuoteResult {
            Objects.requireNonNull(content, "content");
        }
    }
}
