package dev.pipewright.model;

/**
 * Who a call is for, carried to every link of the chain for metrics, traces, cost and logs. Each value is
 * low-cardinality except {@code requestId}, which only logs and traces may use.
 */
public record CallLabels(String tenant, String pipeline, String step, String requestId) {
    public static final CallLabels NONE = new CallLabels("default", "", "", "");
}
