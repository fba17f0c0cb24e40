package dev.pipewright.jobs;

import java.util.Locale;

/**
 * Where a job is in its life. A job waiting for a retry or a snooze is {@link #QUEUED} with a {@code runAt} in the
 * future; {@link #SUCCEEDED}, {@link #DEAD} and {@link #CANCELLED} are final until a replay.
 */
public enum JobStatus {
    /** Waiting to be claimed once {@code runAt} has come. */
    QUEUED,
    /** Claimed by a worker whose lease holds (or has expired and awaits takeover). */
    RUNNING,
    /** Finished; the result is kept. */
    SUCCEEDED,
    /** In the dead letter queue: a permanent error or no attempts left. {@code replay} queues it again. */
    DEAD,
    /** Cancelled by its tenant; a worker still running it loses its lease. */
    CANCELLED;

    /** The name used in the public JSON contract and in the database. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named {@code name} as {@link #jsonName()} writes it. */
    public static JobStatus fromJsonName(String name) {
        for (JobStatus status : values()) {
            if (status.jsonName().equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException(
                "unknown job status '" + name + "'; expected one of queued, running," + " succeeded, dead, cancelled");
    }

    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }
}
