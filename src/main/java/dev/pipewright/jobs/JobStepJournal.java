package dev.pipewright.jobs;

import dev.pipewright.pipeline.StepJournal;
import dev.pipewright.pipeline.StepOutput;
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
    private final JobStore store;
    private final Lease lease;
    private final Map<String, StepOutput> earlier;

    public JobStepJournal(JobStore store, Lease lease) {
        this.store = Objects.requireNonNull(store, "store");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.earlier = Map.copyOf(store.journal(lease.jobId()));
    }

    @Override
    public Optional<StepOutput> completed(String step) {
        return Optional.ofNullable(earlier.get(step));
    }

    @Override
    public void record(String step, StepOutput output) {
        store.recordStep(lease, step, output);
    }
}
