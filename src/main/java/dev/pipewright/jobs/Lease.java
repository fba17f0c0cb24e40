package dev.pipewright.jobs;

import java.time.Instant;
import java.util.Objects;

/**
 * A worker's hold on a running job. {@code token} is the fencing token: it grows with every claim of the job, and
 * every write a worker makes for the job (a step, a heartbeat, the outcome) names it; the store rejects the write
 * with {@link LeaseLostException} once another claim (or a cancel) has moved the token on. {@code expiresAt} is
 * when other workers may take the job over unless a heartbeat extends it.
 */
public record Lease(String jobId, long token, String workerId, Instant expiresAt) {
    public Lease {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (token < 1) {
            throw new IllegalArgumentException("a lease token starts at 1, but was " + token);
        }
    }
}
