package dev.pipewright.jobs;

import dev.pipewright.store.Database;

class SqliteWorkerTest extends WorkerContract {
    @Override
    Database emptyDatabase() {
        return TestDatabases.open(TestDatabases.sqliteUrl(folder));
    }

    @Override
    void doneWith(Database database) {
        database.close();
    }
}
