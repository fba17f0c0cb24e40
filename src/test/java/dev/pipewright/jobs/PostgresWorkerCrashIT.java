package dev.pipewright.jobs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The crash tests on the real PostgreSQL server, in a schema of their own that each test empties. */
class PostgresWorkerCrashIT extends WorkerCrashContract {
    private static String schemaUrl;

    @BeforeAll
    static void createSchema() {
        schemaUrl = TestDatabases.freshPostgresSchema("jobs_crash");
    }

    @AfterAll
    static void dropSchema() {
        TestDatabases.dropPostgresSchema(schemaUrl);
    }

    @Override
    String emptyDatabaseUrl() {
        try (var database = TestDatabases.open(schemaUrl)) {
            database.migrate(JdbcJobStore.NAMESPACE);
            TestDatabases.emptyJobTables(database);
        }
        return schemaUrl;
    }

    @Override
    String url() {
        return schemaUrl;
    }
}
