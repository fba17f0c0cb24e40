package dev.pipewright.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A canary schedule: the candidate's share of traffic takes each of {@code steps} (percent, rising, the last 100)
 * for at least {@code stepDuration}, and moves on only once both variants have {@code minSamples} runs in the step
 * and the candidate is not worse than the stable version beyond the margins at {@code confidence}.
 */
public record CanaryConfig(
        List<Double> steps, Duration stepDuration, int minSamples, double confidence, CanaryMargins margins) {
    public static final List<Double> DEFAULT_STEPS = List.of(5.0, 25.0, 100.0);
    public static final Duration DEFAULT_STEP_DURATION = Duration.ofMinutes(10);
    public static final int DEFAULT_MIN_SAMPLES = 100;
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public CanaryConfig {
        steps = List.copyOf(steps);
        Objects.requireNonNull(stepDuration, "stepDuration");
        Objects.requireNonNull(margins, "margins");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("steps must list at least one share, such as [5, 25, 100]");
        }
        for (int i = 0; i < steps.size(); i++) {
            double step = steps.get(i);
            if (step <= 0 || step > 100 || (i > 0 && step <= steps.get(i - 1))) {
                throw new IllegalArgumentException(
                        "steps must rise strictly within (0, 100] percent, but were " + steps);
            }
        }
        if (steps.getLast() != 100) {
            throw new IllegalArgumentException("steps must end at 100 so the canary can complete, but were " + steps);
        }
        if (!stepDuration.isPositive()) {
            throw new IllegalArgumentException("step_duration must be longer than 0, but was " + stepDuration);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("min_samples must be at least 1, but was " + minSamples);
        }
        if (confidence < 0.5 || confidence >= 1) {
            throw new IllegalArgumentException("confidence must be in [0.5, 1), but was " + confidence);
        }
    }
}
