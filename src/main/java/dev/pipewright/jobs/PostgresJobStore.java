package dev.pipewright.jobs;

import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;
import dev.pipewright.store.Dialect;

/**
 * The {@link JobStore} on PostgreSQL, shared by any number of workers. A claim locks its candidate with {@code FOR
 * UPDATE SKIP LOCKED}, so concurrent claims pass over each other's rows instead of queueing on them, and marks it
 * running in the same statement. A job under an expired lease is preferred to a queued one, so takeovers are not
 * starved by a long queue.
 */
public final class PostgresJobStore extends JdbcJobStore {
    private static final String CLAIM = "UPDATE jobs SET status = 'running', lease_token = lease_token + 1,"
            + " attempts = attempts + 1, worker_id = ?, lease_expires_at = ?, updated_at = ?"
            + " WHERE seq = COALESCE("
            + "(SELECT seq FROM jobs WHERE status = 'running' AND lease_expires_at <= ?"
            + " ORDER BY lease_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED),"
            + "(SELECT seq FROM jobs WHERE status = 'queued' AND run_at <= ?"
            + " ORDER BY run_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED))"
            + " RETURNING " + JobRows.COLUMNS;

    /** Opens the store on {@code database}, bringing its tables up to date first. */
    public PostgresJobStore(Database database, Clock clock) {
        super(requireDialect(database, Dialect.POSTGRESQL), clock);
    }

    @Override
    String claimSql() {
        return CLAIM;
    }
}
