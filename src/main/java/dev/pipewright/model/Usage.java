package dev.pipewright.model;

/**
 * Tokens one call consumed; {@code cachedInputTokens} is the part of the input served from a provider's cache.
 * {@code estimated} is true when the provider reported no usage and the tokens were counted from the text instead.
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, boolean estimated) {
    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /** Usage as the provider reported it. */
    public Usage(long inputTokens, long outputTokens, long cachedInputTokens) {
        this(inputTokens, outputTokens, cachedInputTokens, false);
    }

    /** The sum; estimated when either part is. */
    public Usage plus(Usage other) {
        return new Usage(
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                cachedInputTokens + other.cachedInputTokens,
                estimated || other.estimated);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** Whether the provider reported no tokens at all, as one that omits usage does. */
    public boolean isEmpty() {
        return inputTokens == 0 && outputTokens == 0 && cachedInputTokens == 0;
    }
}
