package dev.pipewright.jobs;

import dev.pipewright.config.QueueConfig;
import dev.pipewright.pipeline.StepOutput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable queue of pipeline jobs, their step journal, leases and dead letter queue.
 *
 * <p>Contract shared by every implementation (one contract test):
 *
 * <ul>
 *   <li>Every method that changes state has committed durably when it returns; a crash afterwards loses nothing.
 *   <li>Tenancy: every lookup by id takes the tenant and answers empty for another tenant's job.
 *   <li>Fencing: a claim increments the job's lease token and returns it in a {@link Lease}. Every write on behalf
 *       of a running job (heartbeat, step, outcome) names the lease and is refused with {@link
 *       LeaseLostException} when the job's token has moved on or the job is no longer running, so a worker that
 *       lost its lease can never overwrite what the new holder wrote.
 *   <li>A job is claimable when it is queued and its {@code runAt} has come, or when it is running under a lease
 *       that expired (its worker died or stalled): the takeover marks the old attempt {@link
 *       AttemptOutcome#LEASE_EXPIRED}.
 *   <li>Time comes from the store's injected clock only; nothing here sleeps.
 * </ul>
 *
 * <p>Thread safe, and safe for many processes sharing one database.
 */
public interface JobStore {

    /**
     * Commits a new queued job, due now, or returns the tenant's existing job with the same idempotency key. Local
     * workers registered with {@link #whenEnqueued} are woken after the commit.
     */
    Enqueued enqueue(JobSubmission submission);

    /**
     * Claims a due job, if any: it becomes running under a new lease held by {@code workerId} until now + {@code
     * leaseFor}, and uses an attempt. A job whose lease expired is taken over first. Otherwise the claim is fair
     * between tenants as {@code queues} says: interactive jobs before batch jobs, then the tenant with the fewest
     * running jobs for its share, never a tenant at its cap, then the job that waited longest. Concurrent claims
     * never return the same job twice under live leases. A job whose lease expired on its last allowed attempt (its
     * workers died or stalled every time) is moved to the dead letter queue with the error {@code lease_expired}
     * instead of being run again.
     */
    Optional<ClaimedJob> claim(String workerId, Duration leaseFor, QueueConfig queues);

    /** A claim with equal shares and no caps. */
    default Optional<ClaimedJob> claim(String workerId, Duration leaseFor) {
        return claim(workerId, leaseFor, QueueConfig.DEFAULT);
    }

    /**
     * Extends {@code lease} to now + {@code leaseFor}.
     *
     * @throws LeaseLostException when the lease no longer holds
     */
    Lease heartbeat(Lease lease, Duration leaseFor);

    /**
     * Journals the output of {@code step}, fenced by {@code lease}. The first output journaled for a step stands; a
     * step is never journaled twice.
     *
     * @throws LeaseLostException when the lease no longer holds; nothing is written
     */
    void recordStep(Lease lease, String step, StepOutput output);

    /** The journaled step outputs of the job, by step name (no tenant check: workers call it under a lease). */
    Map<String, StepOutput> journal(String jobId);

    /**
     * Ends the job as succeeded with {@code result} (the pipeline result JSON text).
     *
     * @throws LeaseLostException when the lease no longer holds; the job keeps whatever the holder wrote
     */
    Job complete(Lease lease, String resultJson);

    /**
     * Queues the job again for {@code runAt} after a retryable failure; the attempt stays used and the store's
     * retry counter grows.
     *
     * @throws LeaseLostException when the lease no longer holds
     */
    Job scheduleRetry(Lease lease, JobError error, Instant runAt);

    /**
     * Queues the job again for {@code runAt} without using up the attempt: a provider asked to wait (a 429 with
     * Retry-After). The journal is kept.
     *
     * @throws LeaseLostException when the lease no longer holds
     */
    Job snooze(Lease lease, JobError error, Instant runAt);

    /**
     * Gives the job back, due now, without using up the attempt: the worker is stopping. The journal is kept.
     *
     * @throws LeaseLostException when the lease no longer holds
     */
    Job release(Lease lease);

    /**
     * Moves the job to the dead letter queue with {@code error} as its last error.
     *
     * @throws LeaseLostException when the lease no longer holds
     */
    Job deadLetter(Lease lease, JobError error);

    /**
     * Cancels the tenant's job unless it has ended; a running job's lease stops holding, so its worker's next write
     * fails and the worker gives up. Answers the job as it is afterwards, empty when the tenant has no such job.
     */
    Optional<Job> cancel(String tenant, String jobId);

    /**
     * Queues a dead-lettered job of the tenant again, due now, with its attempts reset and its journal kept, so that
     * only unfinished steps run again. Empty when the tenant has no such job.
     *
     * @throws IllegalStateException when the job is not in the dead letter queue
     */
    Optional<Job> replay(String tenant, String jobId);

    /** The tenant's job, or empty when there is none with that id (or it is another tenant's). */
    Optional<Job> find(String tenant, String jobId);

    /** The attempt history of the tenant's job, oldest first; empty for an unknown job or another tenant's. */
    List<AttemptRecord> attempts(String tenant, String jobId);

    /** The journaled steps of the tenant's job, in the order they were recorded; empty for another tenant's. */
    List<StepRecord> steps(String tenant, String jobId);

    /** A page of the tenant's jobs, newest first. */
    Page<Job> list(JobQuery query);

    /** A page of the tenant's dead-lettered jobs with their attempt history, newest job first. */
    Page<DlqEntry> deadLetters(String tenant, Optional<String> cursor, int limit);

    /** Queue gauges across all tenants. */
    QueueStats stats();

    /**
     * Registers {@code listener} to run after each enqueue committed through this store instance, so that workers
     * in this process claim at once instead of at their next poll. Listeners must be quick and must not throw.
     */
    void whenEnqueued(Runnable listener);
}
