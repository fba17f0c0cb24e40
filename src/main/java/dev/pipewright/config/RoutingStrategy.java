package dev.pipewright.config;

/** How a model group picks the member that serves a call. Config writes them {@code weighted}, {@code least-busy}. */
public enum RoutingStrategy {
    /** At random, each member in proportion to its weight. */
    WEIGHTED,
    /** The member with the fewest calls in flight. */
    LEAST_BUSY,
    /** The member with the lowest moving average of observed call latency. */
    LOWEST_LATENCY,
    /** The member with the lowest price per token among those whose circuit is not open. */
    CHEAPEST_HEALTHY
}
