package dev.pipewright.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.testing.FakeClock;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online quality score of a canary: scores fed back for served runs, judged against the stable version's with the
 * configured margin once both sides have enough of them. Candidate and stable run the same model, so quality is the
 * only measure on which they can differ.
 */
class CanaryQualityTest {
    private static final String CONFIG = """
            providers: {sim: {kind: simulated}}
            models:
              fast:
                provider: sim
                model: sim-fast-2025-01-01
                price: {input_per_mtok: 1.00, output_per_mtok: 2.00}
                simulation: {latency: 50ms, jitter: 5ms}
            pipelines:
              answer:
                steps:
                  reply: {model: fast, prompt: "Answer: {{input.text}}"}
            deployments:
              answer:
                sticky: header:x-user-id
                candidates:
                  next:
                    pipeline:
                      steps:
                        reply: {model: fast, prompt: "Reply: {{input.text}}"}
                    canary:
                      steps: [10, 50, 100]
                      step_duration: 20s
                      min_samples: 30
                      margins: {quality: 0.1}
            """;

    @TempDir
    Path folder;

    @Test
    void a_candidate_scored_worse_beyond_the_margin_is_rolled_back_once_enough_scores_came_in() {
        try (ReleaseHarness replica = harness()) {
            // when users rate the stable answers about 0.9 and the candidate's about 0.6
            String state = drive(replica, Map.of("stable", 0.9, "next", 0.6), Integer.MAX_VALUE);

            // then the canary is rolled back on quality alone, with at least min_samples scores a side
            assertThat(state).isEqualTo("rolled_back");
            JsonNode rollback = lastDecision(replica);
            assertThat(rollback.get("by").asText()).isEqualTo("canary");
            assertThat(rollback.get("reason").asText())
                    .contains("quality worse")
                    .doesNotContain("error rate worse", "p95 latency worse", "cost per request worse");
            JsonNode numbers = rollback.get("numbers");
            assertThat(numbers.get("candidate_quality").asDouble())
                    .isLessThan(numbers.get("stable_quality").asDouble() - 0.1);
            assertThat(numbers.get("candidate_runs").asInt()).isGreaterThanOrEqualTo(30);
            assertThat(numbers.get("quality_p").asDouble())
                    .isLessThan(numbers.get("alpha").asDouble());
        }
    }

    @Test
    void a_candidate_scored_lower_but_within_the_margin_goes_on_to_promotion() {
        try (ReleaseHarness replica = harness()) {
            // when the candidate's answers are rated about 0.85 against the stable 0.9, within the margin of 0.1
            String state = drive(replica, Map.of("stable", 0.9, "next", 0.85), Integer.MAX_VALUE);

            // then the canary goes through its steps, each judged on quality too
            assertThat(state).isEqualTo("promoted");
            JsonNode history = replica.deployment("answer").get("history");
            assertThat(history.findValuesAsText("action")).containsExactly("deploy", "advance", "promote");
            JsonNode advance = history.get(1).get("numbers");
            assertThat(advance.get("candidate_quality").asDouble())
                    .isLessThan(advance.get("stable_quality").asDouble());
            assertThat(advance.has("quality_p")).isTrue();
        }
    }

    @Test
    void too_few_scores_leave_quality_out_of_the_judgement() {
        try (ReleaseHarness replica = harness()) {
            // when only the first ten candidate runs are rated, far worse than stable
            String state = drive(replica, Map.of("stable", 0.9, "next", 0.2), 10);

            // then ten scores are not enough to judge by: the canary advances on its other measures
            assertThat(state).as(lastDecision(replica).toString()).isEqualTo("promoted");
            JsonNode advance =
                    replica.deployment("answer").get("history").get(1).get("numbers");
            assertThat(advance.get("quality_scores").asInt()).isEqualTo(10);
            assertThat(advance.has("quality_p")).isFalse();
        }
    }

    private ReleaseHarness harness() {
        return new ReleaseHarness(CONFIG, "jdbc:sqlite:" + folder.resolve("release.db"), new FakeClock());
    }

    /**
     * Rounds of 50 requests from new users, the background work after each (which writes their observations), then a
     * score for each run around its variant's mean (±0.1), at most {@code candidateScores} for the candidate; the
     * deployment's state once the canary ended or after 80 rounds.
     */
    private static String drive(ReleaseHarness replica, Map<String, Double> meanScore, int candidateScores) {
        SplittableRandom noise = new SplittableRandom(3);
        int candidateScored = 0;
        String state = replica.deployment("answer").get("state").asText();
        for (int round = 0; round < 80 && state.equals("canary"); round++) {
            Map<String, String> served = new LinkedHashMap<>();
            for (int i = 0; i < 50; i++) {
                String variant = replica.serve("answer", "user-" + round + "-" + i);
                served.put(replica.lastRequestId(), variant);
            }
            replica.releases.tick();
            for (Map.Entry<String, String> run : served.entrySet()) {
                boolean candidate = run.getValue().equals("next");
                if (candidate && candidateScored++ >= candidateScores) {
                    continue;
                }
                double score = meanScore.get(run.getValue()) + noise.nextDouble(-0.1, 0.1);
                assertThat(replica.releases.control().score("answer", run.getKey(), score))
                        .isTrue();
            }
            state = replica.deployment("answer").get("state").asText();
        }
        return state;
    }

    private static JsonNode lastDecision(ReleaseHarness replica) {
        JsonNode history = replica.deployment("answer").get("history");
        return history.get(history.size() - 1);
    }
}
