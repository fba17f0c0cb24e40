package dev.pipewright.jobs.schedule;

import dev.pipewright.jobs.TestDatabases;
import dev.pipewright.store.Database;

/** The scheduler on the real PostgreSQL server, in a fresh schema per test: replicas share one database. */
class PostgresSchedulerIT extends SchedulerContract {
    private String url;

    @Override
    Database emptyDatabase() {
        url = TestDatabases.freshPostgresSchema("schedules");
        return TestDatabases.open(url);
    }

    @Override
    void doneWith(Database database) {
        database.close();
        TestDatabases.dropPostgresSchema(url);
    }
}
