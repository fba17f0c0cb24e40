package dev.pipewright.jobs.schedule;

import dev.pipewright.config.StorageConfig;
import dev.pipewright.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSchedulerTest extends SchedulerContract {
    @TempDir
    Path folder;

    @Override
    Database emptyDatabase() {
        return Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("schedules.db")));
    }

    @Override
    void doneWith(Database database) {
        database.close();
    }
}
