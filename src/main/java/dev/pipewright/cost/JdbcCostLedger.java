package dev.pipewright.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Json;
import dev.pipewright.store.Database;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger in the {@code cost_ledger} table of SQLite or PostgreSQL (migration namespace {@code cost}). Money is
 * stored as whole pico-dollars and summed by the database exactly. Thread safe.
 */
public final class JdbcCostLedger implements CostLedger {
    private static final long DAY_MS = 86_400_000L;
    private static final ObjectMapper JSON = Json.mapper();

    private final Database database;

    /** The ledger of {@code database}, its tables brought up to date. */
    public JdbcCostLedger(Database database) {
        this.database = database;
        database.migrate("cost");
    }

    @Override
    public void append(List<LedgerEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        database.inTransaction("append " + entries.size() + " cost ledger rows", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO cost_ledger (at_ms, tenant, pipeline, step, provider, model, provider_model, variant,
                        input_tokens, output_tokens, cached_input_tokens, cost_pico_usd, estimated, request_id, tags)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (LedgerEntry entry : entries) {
                    insert.setLong(1, entry.at().toEpochMilli());
                    insert.setString(2, entry.tenant());
                    insert.setString(3, entry.pipeline());
                    insert.setString(4, entry.step());
                    insert.setString(5, entry.provider());
                    insert.setString(6, entry.model());
                    insert.setString(7, entry.providerModel());
                    insert.setString(8, entry.variant());
                    insert.setLong(9, entry.inputTokens());
                    insert.setLong(10, entry.outputTokens());
                    insert.setLong(11, entry.cachedInputTokens());
                    insert.setLong(12, Money.picos(entry.costUsd()));
                    insert.setBoolean(13, entry.estimated());
                    insert.setString(14, entry.requestId());
                    insert.setString(15, json(entry.tags()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public CostReport report(CostQuery query) {
        List<String> columns =
                query.groupBy().stream().map(JdbcCostLedger::column).toList();
        String select = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
        String groupBy = columns.isEmpty() ? "" : " GROUP BY " + String.join(", ", columns);
        String orderBy = columns.isEmpty() ? "" : " ORDER BY " + String.join(", ", columns);
        String sql = "SELECT " + select
                + "COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0),"
                + " COALESCE(SUM(cost_pico_usd), 0) FROM cost_ledger WHERE at_ms >= ? AND at_ms < ?"
                + (query.tenant().isPresent() ? " AND tenant = ?" : "") + groupBy + orderBy;
        return database.read("report costs", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, query.from().toEpochMilli());
                statement.setLong(2, query.to().toEpochMilli());
                if (query.tenant().isPresent()) {
                    statement.setString(3, query.tenant().get());
                }
                List<CostReport.Row> rows = new ArrayList<>();
                BigDecimal total = BigDecimal.ZERO;
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        long calls = result.getLong(columns.size() + 1);
                        if (calls == 0) {
                            continue;
                        }
                        Map<Dimension, String> dimensions = new LinkedHashMap<>();
                        for (int i = 0; i < columns.size(); i++) {
                            Dimension dimension = query.groupBy().get(i);
                            dimensions.put(
                                    dimension,
                                    dimension == Dimension.DAY
                                            ? LocalDate.ofEpochDay(result.getLong(i + 1))
                                                    .toString()
                                            : result.getString(i + 1));
                        }
                        BigDecimal picos = new BigDecimal(result.getString(columns.size() + 4));
                        total = total.add(picos);
                        rows.add(new CostReport.Row(
                                dimensions,
                                calls,
                                result.getLong(columns.size() + 2),
                                result.getLong(columns.size() + 3),
                                Money.usd(picos)));
                    }
                }
                return new CostReport(query, rows, Money.usd(total));
            }
        });
    }

    private static String column(Dimension dimension) {
        return switch (dimension) {
            case TENANT, PIPELINE, STEP, PROVIDER, MODEL, VARIANT -> dimension.key();
            case DAY -> "(at_ms / " + DAY_MS + ")";
        };
    }

    private static String json(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(new java.util.TreeMap<>(tags));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tags cannot be written as JSON", e);
        }
    }
}
