package dev.pipewright.provider.simulated;

import java.util.OptionalInt;

/**
 * A simulated chat answer: its words, each one output token, whether the caller's token limit cut it short, and the
 * input tokens of the request it answers. Immutable.
 */
final class ChatAnswer {
    private final String[] words;
    private final boolean truncated;
    private final long inputTokens;

    private ChatAnswer(String[] words, boolean truncated, long inputTokens) {
        this.words = words;
        this.truncated = truncated;
        this.inputTokens = inputTokens;
    }

    /** The answer to {@code prompt}: {@code outputTokens} words, or fewer when {@code maxTokens} is lower. */
    static ChatAnswer to(String prompt, long inputTokens, OptionalInt maxTokens, int outputTokens) {
        String[] words = SimulatedContent.answerWords(prompt, outputTokens, maxTokens.orElse(Integer.MAX_VALUE));
        return new ChatAnswer(words, SimulatedContent.truncated(prompt, words, outputTokens), inputTokens);
    }

    /** The answer that quotes a tool's {@code result}: one piece per space-separated word. */
    static ChatAnswer quoting(String result, long inputTokens) {
        return new ChatAnswer(SimulatedTools.quote(result).split(" ", -1), false, inputTokens);
    }

    String text() {
        return String.join(" ", words);
    }

    /** How many pieces a stream sends the answer in: one per word. */
    int deltas() {
        return words.length;
    }

    /** The text of streamed piece {@code index}: the pieces concatenated are {@link #text()}. */
    String delta(int index) {
        return index == 0 ? words[0] : " " + words[index];
    }

    long inputTokens() {
        return inputTokens;
    }

    long outputTokens() {
        return words.length;
    }

    boolean truncated() {
        return truncated;
    }
}
