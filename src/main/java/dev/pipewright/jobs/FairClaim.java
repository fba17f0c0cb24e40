package dev.pipewright.jobs;

import dev.pipewright.config.QueueConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The order in which a claim considers the due queued jobs, fair between tenants: the head job of each tenant
 * (its most urgent due job: interactive before batch, then the longest waiting) competes with the other tenants'
 * heads; interactive heads go first, then the tenant with the fewest running jobs for its share, then the head that
 * waited longest. A tenant at its cap of running jobs is passed over. One tenant's long queue therefore costs another
 * tenant at most one turn: its job goes at the next free worker slot.
 *
 * <p>The queued tenants are found by a loose index scan (one index probe per tenant, however many jobs each has),
 * so the claim costs the same with 100,000 jobs queued as with 10.
 */
final class FairClaim {
    private static final String QUEUED_TENANTS = "WITH RECURSIVE queued(tenant) AS ("
            + " SELECT MIN(tenant) FROM jobs WHERE status = 'queued'"
            + " UNION ALL SELECT (SELECT MIN(tenant) FROM jobs WHERE status = 'queued' AND tenant > queued.tenant)"
            + " FROM queued WHERE queued.tenant IS NOT NULL)"
            + " SELECT tenant FROM queued WHERE tenant IS NOT NULL";
    private static final String RUNNING =
            "SELECT tenant, COUNT(*) AS running FROM jobs WHERE status = 'running'" + " GROUP BY tenant";
    private static final String HEAD = "SELECT seq, priority, run_at FROM jobs"
            + " WHERE status = 'queued' AND tenant = ? AND run_at <= ? ORDER BY priority, run_at, seq LIMIT 1";

    private record Head(long seq, int priority, long runAt, double load) {}

    private FairClaim() {}

    /**
     * The sequence numbers of the jobs a claim may take now, best first; {@code lockClause} is appended to the
     * selection of each head ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL, so concurrent claims pass over each
     * other's candidates).
     */
    static List<Long> candidates(Connection connection, Instant now, QueueConfig queues, String lockClause)
            throws SQLException {
        List<String> tenants = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(QUEUED_TENANTS);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                tenants.add(rows.getString(1));
            }
        }
        if (tenants.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> running = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(RUNNING);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                running.put(rows.getString("tenant"), rows.getInt("running"));
            }
        }
        List<Head> heads = new ArrayList<>();
        for (String tenant : tenants) {
            int busy = running.getOrDefault(tenant, 0);
            OptionalInt cap = queues.maxRunning(tenant);
            if (cap.isPresent() && busy >= cap.getAsInt()) {
                continue;
            }
            try (PreparedStatement statement = connection.prepareStatement(HEAD + lockClause)) {
                JobRows.bind(statement, tenant, now);
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next()) {
                        heads.add(new Head(
                                row.getLong("seq"),
                                row.getInt("priority"),
                                row.getLong("run_at"),
                                (double) busy / queues.share(tenant)));
                    }
                }
            }
        }
        heads.sort(Comparator.comparingInt(Head::priority)
                .thenComparingDouble(Head::load)
                .thenComparingLong(Head::runAt)
                .thenComparingLong(Head::seq));
        return heads.stream().map(Head::seq).toList();
    }
}
