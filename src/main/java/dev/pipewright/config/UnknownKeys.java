package dev.pipewright.config;

import java.util.Comparator;
import java.util.List;

/** The message for a key that is not allowed where it stands, with the likely intended key when one is close. */
final class UnknownKeys {
    private static final int MAX_TYPO_DISTANCE = 2;

    private UnknownKeys() {}

    static String message(String key, List<String> allowed) {
        String suggestion = allowed.stream()
                .filter(candidate -> distance(key, candidate) <= MAX_TYPO_DISTANCE)
                .min(Comparator.comparingInt(candidate -> distance(key, candidate)))
                .map(candidate -> " (did you mean '" + candidate + "'?)")
                .orElse("");
        return "unknown key" + suggestion + "; allowed keys: " + String.join(", ", allowed);
    }

    /** Levenshtein distance: the fewest single-character edits that turn {@code from} into {@code to}. */
    static int distance(String from, String to) {
        int[] previous = new int[to.length() + 1];
        int[] current = new int[to.length() + 1];
        for (int j = 0; j <= to.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= from.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= to.length(); j++) {
                int substitution = previous[j - 1] + (from.charAt(i - 1) == to.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[to.length()];
    }
}
