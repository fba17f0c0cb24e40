package dev.pipewright.cost;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The ledger in this process's memory, for runs without a database and for tests. Thread safe. */
public final class InMemoryCostLedger implements CostLedger {
    private final List<LedgerEntry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void append(List<LedgerEntry> batch) {
        entries.addAll(batch);
    }

    /** Stores one row at once: the ledger of a process without a database needs no writer between. */
    public void appendOne(LedgerEntry entry) {
        entries.add(entry);
    }

    /** Every row stored so far, in order. */
    public List<LedgerEntry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public CostReport report(CostQuery query) {
        Map<List<String>, long[]> sums = new LinkedHashMap<>();
        Map<List<String>, BigDecimal> costs = new LinkedHashMap<>();
        for (LedgerEntry entry : entries) {
            boolean inRange = !entry.at().isBefore(query.from()) && entry.at().isBefore(query.to());
            if (!inRange
                    || query.tenant()
                            .filter(tenant -> !tenant.equals(entry.tenant()))
                            .isPresent()) {
                continue;
            }
            List<String> key =
                    query.groupBy().stream().map(d -> valueOf(entry, d)).toList();
            long[] sum = sums.computeIfAbsent(key, ignored -> new long[3]);
            sum[0]++;
            sum[1] += entry.inputTokens();
            sum[2] += entry.outputTokens();
            costs.merge(key, entry.costUsd(), BigDecimal::add);
        }
        List<CostReport.Row> rows = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<List<String>, long[]> group : sums.entrySet()) {
            Map<Dimension, String> dimensions = new LinkedHashMap<>();
            for (int i = 0; i < query.groupBy().size(); i++) {
                dimensions.put(query.groupBy().get(i), group.getKey().get(i));
            }
            BigDecimal cost = costs.get(group.getKey());
            total = total.add(cost);
            long[] sum = group.getValue();
            rows.add(new CostReport.Row(dimensions, sum[0], sum[1], sum[2], Money.usd(Money.picos(cost))));
        }
        rows.sort(Comparator.comparing(row -> String.join("\u0000", ordered(row, query))));
        return new CostReport(query, rows, Money.usd(Money.picos(total)));
    }

    private static List<String> ordered(CostReport.Row row, CostQuery query) {
        return query.groupBy().stream().map(row.dimensions()::get).toList();
    }

    static String valueOf(LedgerEntry entry, Dimension dimension) {
        return switch (dimension) {
            case TENANT -> entry.tenant();
            case PIPELINE -> entry.pipeline();
            case STEP -> entry.step();
            case PROVIDER -> entry.provider();
            case MODEL -> entry.model();
            case VARIANT -> entry.variant();
            case DAY -> entry.at().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        };
    }
}
