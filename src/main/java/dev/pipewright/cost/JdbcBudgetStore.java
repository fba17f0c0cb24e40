package dev.pipewright.cost;

import dev.pipewright.store.Database;
import dev.pipewright.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Budgets in the database of {@code storage.url}, shared by every process on it. A reservation runs in one
 * transaction that first locks the window rows of every hold, in one order (PostgreSQL {@code FOR UPDATE}; SQLite
 * takes its one write lock when the transaction begins), so that two replicas never both take the last of a budget.
 * Thread safe.
 */
public final class JdbcBudgetStore implements BudgetStore {
    private final Database database;

    /** The store of {@code database}, its tables brought up to date. */
    public JdbcBudgetStore(Database database) {
        this.database = database;
        database.migrate("cost");
    }

    @Override
    public int reserve(String id, List<Hold> holds, long picos, Instant now, Instant expiresAt, boolean force) {
        List<Hold> ordered = holds.stream()
                .sorted(Comparator.comparing(Hold::budget).thenComparingLong(Hold::windowStart))
                .toList();
        return database.inTransaction("reserve budget", connection -> {
            for (Hold hold : ordered) {
                lockWindow(connection, hold);
            }
            if (!force) {
                for (int i = 0; i < holds.size(); i++) {
                    Spend spend = spend(connection, holds.get(i), now);
                    if (spend.usedPicos() + spend.reservedPicos() + picos
                            > holds.get(i).limitPicos()) {
                        return i;
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO cost_budget_reservations (id, budget, window_start, amount_pico_usd, expires_at)"
                            + " VALUES (?, ?, ?, ?, ?)")) {
                for (Hold hold : holds) {
                    insert.setString(1, id);
                    insert.setString(2, hold.budget());
                    insert.setLong(3, hold.windowStart());
                    insert.setLong(4, picos);
                    insert.setLong(5, expiresAt.toEpochMilli());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return -1;
        });
    }

    @Override
    public void settle(String id, List<Hold> holds, long reservedPicos, long actualPicos) {
        database.inTransaction("settle budget", connection -> {
            for (Hold hold : holds.stream()
                    .sorted(Comparator.comparing(Hold::budget).thenComparingLong(Hold::windowStart))
                    .toList()) {
                lockWindow(connection, hold);
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM cost_budget_reservations WHERE id = ? AND budget = ?")) {
                    delete.setString(1, id);
                    delete.setString(2, hold.budget());
                    delete.executeUpdate();
                }
                try (PreparedStatement add =
                        connection.prepareStatement("UPDATE cost_budget_windows SET used_pico_usd = used_pico_usd + ?"
                                + " WHERE budget = ? AND window_start = ?")) {
                    add.setLong(1, actualPicos);
                    add.setString(2, hold.budget());
                    add.setLong(3, hold.windowStart());
                    add.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public Spend spend(Hold hold, Instant now) {
        return database.read("read budget", connection -> spend(connection, hold, now));
    }

    @Override
    public boolean claimAlert(Hold hold, Instant now, Instant keepUntil) {
        return database.inTransaction("claim budget alert", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO cost_budget_alerts (budget, window_start, claimed_at) VALUES (?, ?, ?)"
                            + " ON CONFLICT (budget, window_start) DO NOTHING")) {
                insert.setString(1, hold.budget());
                insert.setLong(2, hold.windowStart());
                insert.setLong(3, now.toEpochMilli());
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** Creates the window's row when it is the first use of it, and locks it for this transaction. */
    private void lockWindow(Connection connection, Hold hold) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO cost_budget_windows (budget, window_start, used_pico_usd) VALUES (?, ?, 0)"
                        + " ON CONFLICT (budget, window_start) DO NOTHING")) {
            insert.setString(1, hold.budget());
            insert.setLong(2, hold.windowStart());
            insert.executeUpdate();
        }
        if (database.dialect() == Dialect.POSTGRESQL) {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT used_pico_usd FROM cost_budget_windows WHERE budget = ? AND window_start = ? FOR UPDATE")) {
                lock.setString(1, hold.budget());
                lock.setLong(2, hold.windowStart());
                lock.executeQuery().close();
            }
        }
    }

    private static Spend spend(Connection connection, Hold hold, Instant now) throws SQLException {
        long used = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT used_pico_usd FROM cost_budget_windows WHERE budget = ? AND window_start = ?")) {
            select.setString(1, hold.budget());
            select.setLong(2, hold.windowStart());
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    used = row.getLong(1);
                }
            }
        }
        try (PreparedStatement select =
                connection.prepareStatement("SELECT COALESCE(SUM(amount_pico_usd), 0) FROM cost_budget_reservations"
                        + " WHERE budget = ? AND window_start = ? AND expires_at > ?")) {
            select.setString(1, hold.budget());
            select.setLong(2, hold.windowStart());
            select.setLong(3, now.toEpochMilli());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new Spend(used, row.getLong(1));
            }
        }
    }
}
