package dev.pipewright.jobs;

import java.util.Objects;
import java.util.Optional;

/**
 * A page of one tenant's jobs, newest first, optionally only those in {@code status} or of {@code pipeline}. {@code
 * cursor} is the {@link Page#nextCursor()} of the previous page; it is opaque to callers.
 */
public record JobQuery(
        String tenant, Optional<JobStatus> status, Optional<String> pipeline, Optional<String> cursor, int limit) {

    public static final int MAX_LIMIT = 500;

    public JobQuery {
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("a job query needs a tenant, but was '" + tenant + "'");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("a page holds 1 to " + MAX_LIMIT + " jobs, but limit was " + limit);
        }
    }

    /** The first page of {@code tenant}'s jobs, any status and pipeline. */
    public static JobQuery of(String tenant, int limit) {
        return new JobQuery(tenant, Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }
}
