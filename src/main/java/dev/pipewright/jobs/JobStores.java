package dev.pipewright.jobs;

import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;

/** Opens the {@link JobStore} that fits a database. */
public final class JobStores {
    private JobStores() {}

    /** The store of {@code database}'s dialect, its tables brought up to date. */
    public static JobStore open(Database database, Clock clock) {
        return switch (database.dialect()) {
            case SQLITE -> new SqliteJobStore(database, clock);
            case POSTGRESQL -> new PostgresJobStore(database, clock);
        };
    }
}
