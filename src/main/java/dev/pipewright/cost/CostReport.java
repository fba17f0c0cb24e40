package dev.pipewright.cost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The ledger summed per group: each row's dimension values, calls, tokens and exact cost; the total of all rows. */
public record CostReport(CostQuery query, List<Row> rows, BigDecimal totalUsd) {
    public CostReport {
        rows = List.copyOf(rows);
    }

    public record Row(
            Map<Dimension, String> dimensions, long calls, long inputTokens, long outputTokens, BigDecimal costUsd) {
        public Row {
            dimensions = Map.copyOf(dimensions);
        }
    }
}
