package dev.pipewright.jobs;

import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.StepJournal;
import dev.pipewright.pipeline.StepOutput;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The step journal of one claimed job, kept in its {@link JobStore}: the outputs journaled by earlier attempts are
 * read once, when the journal is opened, and every step that finishes is committed under the claim's fencing token
 * before {@link #record} returns. A record after the lease was lost throws {@link LeaseLostException}, which ends the
 * run. Thread safe.
 */
public final class JobStepJournal implements StepJournal {
    /** How long a step's output waits for an unavailable database before the attempt fails. */
    static final Duration RETRY_BUDGET = Duration.ofSeconds(5);

    private final JobStore store;
    private final Lease lease;
    private final Clock clock;
    private final Map<String, StepOutput> earlier;

    /**
     * Opens the journal of {@code lease}'s job. Reads and writes that fail on an unavailable database are tried
     * again for a few seconds (waiting on {@code clock}), so that a brief outage does not cost a paid step.
     */
    public JobStepJournal(JobStore store, Lease lease, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.earlier = Map.copyOf(StoreRetry.retrying(
                clock,
                RETRY_BUDGET,
                "reading the journal of job " + lease.jobId(),
                () -> store.journal(lease.jobId())));
    }

    /** A journal on the system clock. */
    public JobStepJournal(JobStore store, Lease lease) {
        this(store, lease, Clock.system());
    }

    @Override
    public Optional<StepOutput> completed(String step) {
        return Optional.ofNullable(earlier.get(step));
    }

    @Override
    public void record(String step, StepOutput output) {
        StoreRetry.retrying(clock, RETRY_BUDGET, "journaling step '" + step + "' of job " + lease.jobId(), () -> {
            store.recordStep(lease, step, output);
            return step;
        });
    }
}
