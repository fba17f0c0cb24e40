package dev.pipewright.jobs;

import dev.pipewright.config.QueueConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;
import dev.pipewright.store.Dialect;
import java.sql.Connection;

/**
 * The {@link JobStore} on SQLite, the embedded default. A claim's transaction begins {@code IMMEDIATE}, holding
 * SQLite's one write lock, so picking the job (see {@link FairClaim}) and marking it running cannot interleave with
 * another claim, in this process or another one sharing the file.
 */
public final class SqliteJobStore extends JdbcJobStore {
    /** Opens the store on {@code database}, bringing its tables up to date first. */
    public SqliteJobStore(Database database, Clock clock) {
        super(requireDialect(database, Dialect.SQLITE), clock);
    }

    /** Claims are serialized already: every write transaction takes SQLite's one write lock when it begins. */
    @Override
    String lockClause() {
        return "";
    }

    @Override
    void serializeClaims(Connection connection, QueueConfig queues) {
        // Nothing to do: see lockClause.
    }
}
