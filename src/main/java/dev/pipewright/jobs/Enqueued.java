package dev.pipewright.jobs;

import java.util.Objects;

/** The job an enqueue committed, and whether this call created it ({@code false}: an idempotency key matched). */
public record Enqueued(Job job, boolean created) {
    public Enqueued {
        Objects.requireNonNull(job, "job");
    }
}
