package dev.pipewright.pipeline;

import dev.pipewright.model.Deadline;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a run is for and what it may build on. {@code requestId} is the stem of every model call's idempotency key
 * ({@code requestId + ":" + step}), so a job passes its job id to keep keys stable across attempts of the job.
 * {@code deadline} is the caller's; the earlier of it and the pipeline's own deadline bounds the run. {@code tags}
 * are the caller's allocation tags and {@code variant} the pipeline version or deployment variant that serves the
 * run (empty when none); both reach every model call's cost ledger row.
 */
public record RunContext(
        String requestId,
        String tenant,
        Optional<Deadline> deadline,
        StepJournal journal,
        Map<String, String> tags,
        String variant) {
    public RunContext {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("a run needs a request id, but was '" + requestId + "'");
        }
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("a run needs a tenant, but was '" + tenant + "'");
        }
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(journal, "journal");
        tags = Map.copyOf(tags);
        Objects.requireNonNull(variant, "variant");
    }

    /** A run without allocation tags or a variant. */
    public RunContext(String requestId, String tenant, Optional<Deadline> deadline, StepJournal journal) {
        this(requestId, tenant, deadline, journal, Map.of(), "");
    }

    /** A run with no deadline of the caller's and no journal. */
    public static RunContext of(String requestId, String tenant) {
        return new RunContext(requestId, tenant, Optional.empty(), StepJournal.none());
    }

    /** The same run with the caller's allocation tags. */
    public RunContext withTags(Map<String, String> tags) {
        return new RunContext(requestId, tenant, deadline, journal, tags, variant);
    }

    /** The same run served by {@code variant}. */
    public RunContext withVariant(String variant) {
        return new RunContext(requestId, tenant, deadline, journal, tags, variant);
    }
}
