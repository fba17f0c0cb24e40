package dev.pipewright.jobs;

/** The crash tests on a SQLite file shared by the worker processes and the test. */
class SqliteWorkerCrashIT extends WorkerCrashContract {
    @Override
    String emptyDatabaseUrl() {
        return url();
    }

    @Override
    String url() {
        return TestDatabases.sqliteUrl(folder);
    }
}
