package dev.pipewright.jobs;

import dev.pipewright.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobStoreTest extends JobStoreContract {
    @TempDir
    Path folder;

    @Override
    Database emptyDatabase() {
        return TestDatabases.open(TestDatabases.sqliteUrl(folder));
    }

    @Override
    void doneWith(Database database) {
        database.close();
    }
}
