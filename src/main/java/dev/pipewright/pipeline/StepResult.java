package dev.pipewright.pipeline;

import dev.pipewright.model.Attempt;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one step of a run ended. {@code model} and {@code providerModel} name the model that actually answered (a
 * fallback, perhaps); {@code usage} and {@code costUsd} are that model's, and zero when no model answered in this
 * run. {@code startedAt} and {@code finishedAt} are offsets from the start of the run; {@code reason} says why a
 * step was skipped, degraded or failed.
 */
public record StepResult(
        String name,
        StepStatus status,
        Optional<StepOutput> output,
        Optional<String> model,
        Optional<String> providerModel,
        List<Attempt> attempts,
        Usage usage,
        BigDecimal costUsd,
        Duration startedAt,
        Duration finishedAt,
        Optional<String> reason) {

    public StepResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        attempts = List.copyOf(attempts);
        boolean producesOutput = status == StepStatus.SUCCEEDED || status == StepStatus.FROM_JOURNAL;
        if (producesOutput != output.isPresent()) {
            throw new IllegalArgumentException("a " + status + " step " + (producesOutput ? "needs" : "has no")
                    + " output, but step '" + name + "' has " + output);
        }
        if (costUsd.signum() < 0) {
            throw new IllegalArgumentException("cost must not be negative, but was " + costUsd);
        }
        if (finishedAt.compareTo(startedAt) < 0) {
            throw new IllegalArgumentException(
                    "step '" + name + "' finished at " + finishedAt + " before it started at " + startedAt);
        }
    }

    /** A step that ended without a model answering in this run. */
    static StepResult unanswered(
            String name,
            StepStatus status,
            List<Attempt> attempts,
            Duration startedAt,
            Duration finishedAt,
            String reason) {
        return new StepResult(
                name,
                status,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                attempts,
                Usage.NONE,
                BigDecimal.ZERO,
                startedAt,
                finishedAt,
                Optional.of(reason));
    }

    static StepResult fromJournal(String name, StepOutput output) {
        return new StepResult(
                name,
                StepStatus.FROM_JOURNAL,
                Optional.of(output),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Usage.NONE,
                BigDecimal.ZERO,
                Duration.ZERO,
                Duration.ZERO,
                Optional.empty());
    }

    public Duration latency() {
        return finishedAt.minus(startedAt);
    }
}
