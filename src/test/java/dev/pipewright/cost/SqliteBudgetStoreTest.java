package dev.pipewright.cost;

import dev.pipewright.config.StorageConfig;
import dev.pipewright.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteBudgetStoreTest extends BudgetStoreContract {
    @TempDir
    Path folder;

    private Database database;
    private BudgetStore store;

    @BeforeEach
    void open() {
        database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("pipewright.db")));
        store = new JdbcBudgetStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Override
    protected BudgetStore store() {
        return store;
    }
}
