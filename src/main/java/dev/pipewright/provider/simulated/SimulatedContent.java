package dev.pipewright.provider.simulated;

import java.util.Arrays;

/**
 * The deterministic content of simulated answers: the same input always gives the same text, vector and token
 * counts, so tests can assert on them and caches can hit.
 *
 * <p>Token counting is an estimate, not a real tokenizer: a text counts one token per four characters, rounded up,
 * and at least one; every word of a simulated answer is one output token.
 */
final class SimulatedContent {
    static final String[] CATEGORIES = {"technical", "business", "creative", "legal"};

    private static final String[] VOCABULARY = {
        "the", "model", "answer", "pipeline", "signal", "result", "data", "system", "clear", "stable", "request",
        "value", "review", "quick", "detail", "summary", "within", "across", "through", "shows", "offers", "a",
        "strong", "useful", "context", "report", "balanced", "point", "further", "insight", "and", "of"
    };

    private SimulatedContent() {}

    /**
     * The words of the answer to {@code prompt}: for a prompt that starts with "Classify" (any case) one category
     * chosen by the prompt's hash, else {@code count} pseudo-words seeded by it; never more than {@code limit}.
     */
    static String[] answerWords(String prompt, int count, int limit) {
        long seed = hash(prompt);
        if (isClassification(prompt)) {
            return new String[] {CATEGORIES[(int) Long.remainderUnsigned(mix(seed), CATEGORIES.length)]};
        }
        String[] words = new String[Math.min(count, limit)];
        long state = seed;
        for (int i = 0; i < words.length; i++) {
            state = mix(state);
            words[i] = VOCABULARY[(int) Long.remainderUnsigned(state, VOCABULARY.length)];
        }
        return words;
    }

    /** Whether an answer of {@code words} was cut short by the caller's token limit. */
    static boolean truncated(String prompt, String[] words, int count) {
        return words.length < count && !isClassification(prompt);
    }

    private static boolean isClassification(String prompt) {
        return prompt.stripLeading().regionMatches(true, 0, "Classify", 0, "Classify".length());
    }

    /** A unit vector of {@code dimensions} seeded by the text: the same text always gives the same vector. */
    static float[] embedding(String text, int dimensions) {
        float[] vector = new float[dimensions];
        long state = hash(text);
        double squares = 0;
        for (int i = 0; i < dimensions; i++) {
            state = mix(state);
            float component = (float) ((state >>> 40) / (double) (1L << 24) * 2 - 1);
            vector[i] = component;
            squares += component * component;
        }
        if (squares == 0) {
            Arrays.fill(vector, (float) (1 / Math.sqrt(dimensions)));
            return vector;
        }
        float norm = (float) Math.sqrt(squares);
        for (int i = 0; i < dimensions; i++) {
            vector[i] /= norm;
        }
        return vector;
    }

    static long tokens(CharSequence text) {
        return tokensOf(text.length());
    }

    static long tokensOf(int characters) {
        return Math.max(1, (characters + 3L) / 4);
    }

    /** A stable 64-bit FNV-1a hash of the characters, independent of the JVM run. */
    static long hash(CharSequence text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** One step of the SplitMix64 sequence: a well-spread next value for a seed. */
    static long mix(long state) {
        long z = state + 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
