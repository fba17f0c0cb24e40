package dev.pipewright.provider.simulated.internal;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the simulator needs from a chat request of either wire format: the model, the text of the last message (which
 * decides the answer), the characters of all input text (which decide the input tokens), the caller's output token
 * limit, how the answer is to be sent, and what the answer does about tools.
 */
public record ChatRequest(
        String model,
        String prompt,
        int inputCharacters,
        OptionalInt maxTokens,
        boolean stream,
        boolean includeUsage,
        ToolTurn toolTurn) {
    public ChatRequest {
        Objects.requireNonNull(toolTurn, "toolTurn");
        if (inputCharacters < 0) {
            throw new IllegalArgumentException("inputCharacters must not be negative, but was " + inputCharacters);
        }
    }
}
