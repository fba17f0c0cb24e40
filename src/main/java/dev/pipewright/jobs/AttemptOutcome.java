package dev.pipewright.jobs;

import java.util.Locale;

/** How one attempt (one claim) of a job ended. */
public enum AttemptOutcome {
    /** Still running, as far as the store knows. */
    RUNNING,
    SUCCEEDED,
    /** Failed with a retryable error; a retry is scheduled. */
    RETRY_SCHEDULED,
    /** Rate limited: put back until the provider's Retry-After, without using up the attempt. */
    SNOOZED,
    /** Failed for good (a permanent error, or the last attempt): the job went to the dead letter queue. */
    DEAD_LETTERED,
    /** The worker gave the job back when it stopped; the attempt is not counted. */
    RELEASED,
    /** The lease expired (the worker died or stalled) and another claim took the job over. */
    LEASE_EXPIRED,
    /** The job was cancelled while this attempt ran. */
    CANCELLED;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttemptOutcome fromJsonName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
