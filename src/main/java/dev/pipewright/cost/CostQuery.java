package dev.pipewright.cost;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which ledger rows a report sums: calls at or after {@code from} and before {@code to}, of {@code tenant} only when
 * present, grouped by {@code groupBy} in that order (no dimension: one row for everything).
 */
public record CostQuery(Instant from, Instant to, List<Dimension> groupBy, Optional<String> tenant) {
    public CostQuery {
        groupBy = List.copyOf(groupBy);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, but was " + from + " to " + to);
        }
        if (groupBy.stream().distinct().count() != groupBy.size()) {
            throw new IllegalArgumentException("group_by names a dimension twice: " + groupBy);
        }
    }
}
