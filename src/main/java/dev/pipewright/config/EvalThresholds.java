package dev.pipewright.config;

import java.util.List;
import java.util.Map;

/**
 * The lowest mean score (0 to 1) each scorer of an evaluation must reach for the evaluation to pass. Scorers:
 * {@code exact_match}, {@code contains}, {@code json_schema}, {@code label_accuracy}, {@code embedding_similarity},
 * {@code judge}.
 */
public record EvalThresholds(Map<String, Double> minimums) {
    public static final List<String> SCORERS =
            List.of("exact_match", "contains", "json_schema", "label_accuracy", "embedding_similarity", "judge");
    public static final EvalThresholds NONE = new EvalThresholds(Map.of());

    public EvalThresholds {
        minimums = Maps.ordered(minimums);
        minimums.forEach((scorer, minimum) -> {
            if (!SCORERS.contains(scorer)) {
                throw new IllegalArgumentException(
                        "'" + scorer + "' is not a scorer; use " + String.join(", ", SCORERS));
            }
            if (minimum < 0 || minimum > 1) {
                throw new IllegalArgumentException(scorer + " must be between 0 and 1, but was " + minimum);
            }
        });
    }

    public boolean isEmpty() {
        return minimums.isEmpty();
    }
}
