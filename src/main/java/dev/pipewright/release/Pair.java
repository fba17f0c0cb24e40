package dev.pipewright.release;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outputs of one input from two versions: the baseline (the live answer, or the recorded one) and the candidate
 * (its shadow run, or its replay). Outputs are the results object as JSON text; the candidate's is empty when it
 * failed, with the error instead.
 */
public record Pair(
        String deployment,
        String candidate,
        String version,
        String source,
        Instant at,
        String requestId,
        String baselineOutput,
        Optional<String> candidateOutput,
        Optional<String> candidateError,
        long baselineLatencyMs,
        long candidateLatencyMs,
        double baselineCostUsd,
        double candidateCostUsd) {
    public static final String SHADOW = "shadow";
    public static final String REPLAY = "replay";

    public Pair {
        Objects.requireNonNull(baselineOutput, "baselineOutput");
        Objects.requireNonNull(candidateOutput, "candidateOutput");
        Objects.requireNonNull(candidateError, "candidateError");
    }
}
