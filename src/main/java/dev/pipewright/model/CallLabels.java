package dev.pipewright.model;

import java.util.Map;
import java.util.Objects;

/**
 * Who a call is for, carried to every link of the chain for metrics, traces, cost and logs. {@code tenant},
 * {@code pipeline} and {@code step} are low-cardinality; {@code requestId}, the allocation {@code tags} the client
 * sent and the {@code variant} (the pipeline version or deployment variant that served the run, empty when none) go
 * only to logs, traces and the cost ledger.
 */
public record CallLabels(
        String tenant, String pipeline, String step, String requestId, Map<String, String> tags, String variant) {
    public static final CallLabels NONE = new CallLabels("default", "", "", "");

    public CallLabels {
        tags = Map.copyOf(tags);
        Objects.requireNonNull(variant, "variant");
    }

    /** Labels without allocation tags or a variant. */
    public CallLabels(String tenant, String pipeline, String step, String requestId) {
        this(tenant, pipeline, step, requestId, Map.of(), "");
    }
}
