package dev.pipewright.release.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The outcome of an evaluation: the mean score (0 to 1) of each scorer over the items it applies to, how many runs
 * failed, and, per threshold, whether it was met.
 */
public record EvalReport(int items, int failedRuns, Map<String, Score> scores, List<Verdict> verdicts) {
    public EvalReport {
        scores = Map.copyOf(scores);
        verdicts = List.copyOf(verdicts);
    }

    /** A scorer's mean over the {@code count} items it applied to. */
    public record Score(double mean, int count) {}

    /** One threshold: the scorer's mean (empty when no item carried what it needs) against the minimum. */
    public record Verdict(String scorer, OptionalDouble mean, double minimum) {
        public boolean met() {
            return mean.isPresent() && mean.getAsDouble() >= minimum;
        }
    }

    public boolean passed() {
        return verdicts.stream().allMatch(Verdict::met);
    }

    /** {@code {"scorer": mean, ...}} with {@code failed_runs}, as stored with the evaluation. */
    public ObjectNode scoresJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        Evaluation.SCORER_ORDER.forEach(scorer -> {
            Score score = scores.get(scorer);
            if (score != null) {
                json.put(scorer, Math.round(score.mean() * 10_000) / 10_000.0);
            }
        });
        json.put("failed_runs", failedRuns);
        return json;
    }
}
