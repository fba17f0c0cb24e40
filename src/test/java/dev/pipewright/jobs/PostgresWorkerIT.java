package dev.pipewright.jobs;

import dev.pipewright.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The worker behaviours on the real PostgreSQL server, in a schema of its own that each test empties. */
class PostgresWorkerIT extends WorkerContract {
    private static String url;
    private static Database shared;

    @BeforeAll
    static void createSchema() {
        url = TestDatabases.freshPostgresSchema("jobs_workers");
        shared = TestDatabases.open(url);
    }

    @AfterAll
    static void dropSchema() {
        shared.close();
        TestDatabases.dropPostgresSchema(url);
    }

    @Override
    Database emptyDatabase() {
        shared.migrate(JdbcJobStore.NAMESPACE);
        TestDatabases.emptyJobTables(shared);
        return shared;
    }

    @Override
    void doneWith(Database database) {
        // The schema stays for the next test of the class, which empties it.
    }
}
