package dev.pipewright.jobs;

import java.util.Objects;

/** A job a worker claimed, as it was right after the claim, with the lease that fences the worker's writes. */
public record ClaimedJob(Job job, Lease lease) {
    public ClaimedJob {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(lease, "lease");
        if (!job.id().equals(lease.jobId())) {
            throw new IllegalArgumentException("lease of job " + lease.jobId() + " given with job " + job.id());
        }
    }
}
