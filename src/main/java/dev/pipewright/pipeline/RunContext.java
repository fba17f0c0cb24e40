package dev.pipewright.pipeline;

import dev.pipewright.model.Deadline;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a run is for and what it may build on. {@code requestId} is the stem of every model call's idempotency key
 * ({@code requestId + ":" + step}), so a job passes its job id to keep keys stable across attempts of the job.
 * {@code deadline} is the caller's; the earlier of it and the pipeline's own deadline bounds the run. {@code variant}
 * names the deployment variant that serves the run ({@code stable}, a candidate's name, {@code shadow:NAME}), empty
 * when the pipeline has no deployment, so metrics and ledger rows can be split by it.
 */
public record RunContext(
        String requestId, String tenant, Optional<Deadline> deadline, StepJournal journal, String variant) {
    public RunContext {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("a run needs a request id, but was '" + requestId + "'");
        }
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("a run needs a tenant, but was '" + tenant + "'");
        }
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(variant, "variant");
    }

    /** A run of no deployment variant. */
    public RunContext(String requestId, String tenant, Optional<Deadline> deadline, StepJournal journal) {
        this(requestId, tenant, deadline, journal, "");
    }

    /** This run as served by {@code variant}. */
    public RunContext withVariant(String variant) {
        return new RunContext(requestId, tenant, deadline, journal, variant);
    }

    /** A run with no deadline of the caller's and no journal. */
    public static RunContext of(String requestId, String tenant) {
        return new RunContext(requestId, tenant, Optional.empty(), StepJournal.none());
    }
}
