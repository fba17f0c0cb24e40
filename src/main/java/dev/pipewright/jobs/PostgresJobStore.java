package dev.pipewright.jobs;

import dev.pipewright.config.QueueConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;
import dev.pipewright.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The {@link JobStore} on PostgreSQL, shared by any number of workers. A claim locks its candidates with {@code FOR
 * UPDATE SKIP LOCKED}, so concurrent claims pass over each other's rows instead of queueing on them (see {@link
 * FairClaim} for the order). A job under an expired lease is preferred to a queued one, so takeovers are not
 * starved by a long queue.
 */
public final class PostgresJobStore extends JdbcJobStore {
    /** Any fixed key: the transaction-scoped advisory lock that serializes claims when a tenant has a cap. */
    private static final long CLAIM_LOCK = 0x706970657772L;

    /** Opens the store on {@code database}, bringing its tables up to date first. */
    public PostgresJobStore(Database database, Clock clock) {
        super(requireDialect(database, Dialect.POSTGRESQL), clock);
    }

    @Override
    String lockClause() {
        return " FOR UPDATE SKIP LOCKED";
    }

    /**
     * With a cap on running jobs, two claims counting a tenant's running jobs at once could both take its last slot,
     * so they take turns; without one, claims run in parallel and skip each other's locked candidates.
     */
    @Override
    void serializeClaims(Connection connection, QueueConfig queues) throws SQLException {
        if (queues.maxRunningPerTenant().isEmpty()
                && queues.tenants().values().stream()
                        .allMatch(tenant -> tenant.maxRunning().isEmpty())) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            statement.setLong(1, CLAIM_LOCK);
            statement.execute();
        }
    }
}
