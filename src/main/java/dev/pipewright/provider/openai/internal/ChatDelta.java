package dev.pipewright.provider.openai.internal;

import dev.pipewright.model.ToolCallDelta;
import java.util.List;
import java.util.Objects;

/** What one stream chunk adds to the answer: text, pieces of tool calls, or nothing (a chunk that only shows life). */
public record ChatDelta(String text, List<ToolCallDelta> toolCalls) {
    public static final ChatDelta NONE = new ChatDelta("", List.of());

    public ChatDelta {
        Objects.requireNonNull(text, "text");
        toolCalls = List.copyOf(toolCalls);
    }

    public boolean isEmpty() {
        return text.isEmpty() && toolCalls.isEmpty();
    }
}
