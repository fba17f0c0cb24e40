package dev.pipewright.jobs;

import dev.pipewright.pipeline.StepOutput;
import java.time.Instant;
import java.util.Objects;

/** A step of a job whose output is in the journal: recorded by the claim with fencing token {@code token}. */
public record StepRecord(String step, StepOutput output, long token, Instant recordedAt) {
    public StepRecord {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }
}
