package dev.pipewright.jobs;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One claim of a job: {@code token} is the claim's fencing token (1, 2, ... in claim order), {@code workerId} who
 * held it, and how it ended, with the error when it failed.
 */
public record AttemptRecord(
        long token,
        String workerId,
        Instant startedAt,
        Optional<Instant> endedAt,
        AttemptOutcome outcome,
        Optional<JobError> error) {

    public AttemptRecord {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(error, "error");
    }
}
