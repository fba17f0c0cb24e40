package dev.pipewright.jobs;

import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;
import dev.pipewright.store.Dialect;

/**
 * The {@link JobStore} on SQLite, the embedded default. A claim is one {@code UPDATE … RETURNING} statement: SQLite
 * runs one writer at a time, so picking the job and marking it running cannot interleave with another claim, in
 * this process or another one sharing the file.
 */
public final class SqliteJobStore extends JdbcJobStore {
    private static final String CLAIM = "UPDATE jobs SET status = 'running', lease_token = lease_token + 1,"
            + " attempts = attempts + 1, worker_id = ?, lease_expires_at = ?, updated_at = ?"
            + " WHERE seq = COALESCE("
            + "(SELECT seq FROM jobs WHERE status = 'running' AND lease_expires_at <= ?"
            + " ORDER BY lease_expires_at LIMIT 1),"
            + "(SELECT seq FROM jobs WHERE status = 'queued' AND run_at <= ? ORDER BY run_at, seq LIMIT 1))"
            + " RETURNING " + JobRows.COLUMNS;

    /** Opens the store on {@code database}, bringing its tables up to date first. */
    public SqliteJobStore(Database database, Clock clock) {
        super(requireDialect(database, Dialect.SQLITE), clock);
    }

    @Override
    String claimSql() {
        return CLAIM;
    }
}
