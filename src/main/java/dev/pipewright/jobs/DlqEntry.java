package dev.pipewright.jobs;

import java.util.List;
import java.util.Objects;

/**
 * A job in the dead letter queue with its attempt history, oldest first. The job's {@code lastError} is the error
 * that sent it there and {@code finishedAt} when.
 */
public record DlqEntry(Job job, List<AttemptRecord> attempts) {
    public DlqEntry {
        Objects.requireNonNull(job, "job");
        attempts = List.copyOf(attempts);
        if (job.status() != JobStatus.DEAD) {
            throw new IllegalArgumentException(
                    "job " + job.id() + " is " + job.status().jsonName() + ", not dead");
        }
    }
}
