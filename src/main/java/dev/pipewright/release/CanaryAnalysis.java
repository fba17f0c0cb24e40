package dev.pipewright.release;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.CanaryConfig;
import dev.pipewright.config.CanaryMargins;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Compares a canary's runs with the stable version's runs of the same window, one one-sided test per metric:
 *
 * <ul>
 *   <li>error rate: is the candidate's failure share above the stable one by more than the margin? A two-proportion
 *       z-test, or Fisher's exact test (with the observed difference beyond the margin) when a cell of the 2×2 table
 *       has fewer than five runs;
 *   <li>p95 latency: with T the stable p95 times (1 + margin), a candidate whose p95 is at most T has at most 5% of
 *       its runs above T, so the count above T is tested against Binomial(n, 0.05);
 *   <li>cost per request: Welch's z on the means against the stable mean times (1 + margin);
 *   <li>quality (when a margin is set and scores were fed back): Welch's z on the means, lower being worse.
 * </ul>
 *
 * <p>The family of tests is held at the configured level by Bonferroni (α divided by the number of tests). Looks in
 * the middle of a step use the Haybittle–Peto boundary (p below 0.001, again divided), so that looking often does not
 * inflate false rollbacks; the look at the end of the step uses the configured α.
 */
final class CanaryAnalysis {
    static final double INTERIM_ALPHA = 0.001;
    private static final int SMALL_CELL = 5;
    private static final int MIN_LATENCY_SAMPLES = 20;
    private static final double TAIL = 0.05;

    /** What the numbers say. */
    enum Outcome {
        WORSE,
        NOT_WORSE,
        TOO_FEW_SAMPLES
    }

    record Verdict(Outcome outcome, String reason, ObjectNode numbers) {}

    private CanaryAnalysis() {}

    static Verdict compare(
            List<Observation> stable, List<Observation> candidate, CanaryConfig config, boolean endOfStep) {
        ObjectNode numbers = JsonNodeFactory.instance.objectNode();
        numbers.put("stable_runs", stable.size());
        numbers.put("candidate_runs", candidate.size());
        numbers.put("min_samples", config.minSamples());
        if (stable.size() < config.minSamples() || candidate.size() < config.minSamples()) {
            return new Verdict(
                    Outcome.TOO_FEW_SAMPLES,
                    "too few runs: stable " + stable.size() + ", candidate " + candidate.size() + ", need "
                            + config.minSamples() + " each",
                    numbers);
        }
        CanaryMargins margins = config.margins();
        List<Test> tests = new ArrayList<>();
        tests.add(errorRate(stable, candidate, margins.errorRate(), numbers));
        latency(stable, candidate, margins.p95Latency(), numbers).ifPresent(tests::add);
        tests.add(cost(stable, candidate, margins.costPerRequest(), numbers));
        if (margins.quality().isPresent()) {
            quality(stable, candidate, margins.quality().getAsDouble(), config.minSamples(), numbers)
                    .ifPresent(tests::add);
        }
        double alpha = (endOfStep ? 1 - config.confidence() : INTERIM_ALPHA) / tests.size();
        numbers.put("alpha", alpha);
        numbers.put("look", endOfStep ? "end_of_step" : "interim");
        List<String> worse = tests.stream()
                .filter(test -> test.p() < alpha)
                .map(test -> test.describe())
                .toList();
        if (!worse.isEmpty()) {
            return new Verdict(Outcome.WORSE, String.join("; ", worse), numbers);
        }
        return new Verdict(
                Outcome.NOT_WORSE,
                "no metric worse beyond its margin at α=" + format(alpha) + " (" + tests.size() + " tests)",
                numbers);
    }

    private record Test(String metric, String detail, double p) {
        String describe() {
            return metric + " worse: " + detail + " (p=" + format(p) + ")";
        }
    }

    private static Test errorRate(
            List<Observation> stable, List<Observation> candidate, double margin, ObjectNode numbers) {
        long failedStable = stable.stream().filter(Observation::failed).count();
        long failedCandidate = candidate.stream().filter(Observation::failed).count();
        long nStable = stable.size();
        long nCandidate = candidate.size();
        double rateStable = (double) failedStable / nStable;
        double rateCandidate = (double) failedCandidate / nCandidate;
        boolean small = Math.min(
                        Math.min(failedStable, nStable - failedStable),
                        Math.min(failedCandidate, nCandidate - failedCandidate))
                < SMALL_CELL;
        double p;
        String method;
        if (small) {
            method = "fisher";
            p = rateCandidate - rateStable > margin
                    ? Statistics.fisherGreater(failedStable, nStable, failedCandidate, nCandidate)
                    : 1;
        } else {
            method = "z";
            double z = Statistics.twoProportionZ(failedStable, nStable, failedCandidate, nCandidate, margin);
            numbers.put("error_rate_z", z);
            p = Statistics.upperTail(z);
        }
        numbers.put("stable_error_rate", rateStable);
        numbers.put("candidate_error_rate", rateCandidate);
        numbers.put("error_rate_margin", margin);
        numbers.put("error_rate_test", method);
        numbers.put("error_rate_p", p);
        return new Test(
                "error rate",
                format(rateCandidate) + " against " + format(rateStable) + " + margin " + format(margin) + " (" + method
                        + ")",
                p);
    }

    private static Optional<Test> latency(
            List<Observation> stable, List<Observation> candidate, double margin, ObjectNode numbers) {
        double[] stableMs = latencies(stable);
        double[] candidateMs = latencies(candidate);
        if (stableMs.length < MIN_LATENCY_SAMPLES || candidateMs.length < MIN_LATENCY_SAMPLES) {
            return Optional.empty();
        }
        double stableP95 = Statistics.percentile(stableMs, 0.95);
        double threshold = stableP95 * (1 + margin);
        long above = Arrays.stream(candidateMs).filter(ms -> ms > threshold).count();
        double p = Statistics.binomialAtLeast(above, candidateMs.length, TAIL);
        numbers.put("stable_p95_ms", stableP95);
        numbers.put("candidate_p95_ms", Statistics.percentile(candidateMs, 0.95));
        numbers.put("p95_latency_threshold_ms", threshold);
        numbers.put("candidate_runs_above_threshold", above);
        numbers.put("p95_latency_p", p);
        return Optional.of(new Test(
                "p95 latency",
                above + " of " + candidateMs.length + " runs above " + format(threshold) + " ms (stable p95 "
                        + format(stableP95) + " ms + " + format(margin * 100) + "%)",
                p));
    }

    private static Test cost(List<Observation> stable, List<Observation> candidate, double margin, ObjectNode numbers) {
        double[] stableCost = stable.stream().mapToDouble(Observation::costUsd).toArray();
        double[] candidateCost =
                candidate.stream().mapToDouble(Observation::costUsd).toArray();
        double z = Statistics.welchZ(stableCost, candidateCost, 1 + margin, 0);
        double p = Statistics.upperTail(z);
        numbers.put("stable_cost_per_request_usd", Statistics.mean(stableCost));
        numbers.put("candidate_cost_per_request_usd", Statistics.mean(candidateCost));
        numbers.put("cost_margin", margin);
        numbers.put("cost_p", p);
        return new Test(
                "cost per request",
                "$" + format(Statistics.mean(candidateCost)) + " against $" + format(Statistics.mean(stableCost))
                        + " + " + format(margin * 100) + "%",
                p);
    }

    private static Optional<Test> quality(
            List<Observation> stable, List<Observation> candidate, double margin, int minSamples, ObjectNode numbers) {
        double[] stableScores = scores(stable);
        double[] candidateScores = scores(candidate);
        if (stableScores.length < Math.max(2, minSamples) || candidateScores.length < Math.max(2, minSamples)) {
            numbers.put("quality_scores", Math.min(stableScores.length, candidateScores.length));
            return Optional.empty();
        }
        double z = Statistics.welchZ(candidateScores, stableScores, 1, margin);
        double p = Statistics.upperTail(z);
        numbers.put("stable_quality", Statistics.mean(stableScores));
        numbers.put("candidate_quality", Statistics.mean(candidateScores));
        numbers.put("quality_p", p);
        return Optional.of(new Test(
                "quality",
                format(Statistics.mean(candidateScores)) + " against " + format(Statistics.mean(stableScores))
                        + " - margin " + format(margin),
                p));
    }

    private static double[] latencies(List<Observation> runs) {
        return runs.stream()
                .filter(run -> !run.failed())
                .mapToDouble(Observation::latencyMs)
                .toArray();
    }

    private static double[] scores(List<Observation> runs) {
        return runs.stream()
                .filter(run -> run.quality().isPresent())
                .mapToDouble(run -> run.quality().getAsDouble())
                .toArray();
    }

    static String format(double value) {
        if (value != 0 && Math.abs(value) < 0.0001) {
            return String.format(Locale.ROOT, "%.2e", value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
