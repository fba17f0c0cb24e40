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
    private Database other;
    private BudgetStore store;
    private BudgetStore replica;

    @BeforeEach
    void open() {
        StorageConfig storage = new StorageConfig("jdbc:sqlite:" + folder.resolve("pipewright.db"));
        database = Database.open(storage);
        store = new JdbcBudgetStore(database);
        other = Database.open(storage);
        replica = new JdbcBudgetStore(other);
    }

    @AfterEach
    void close() {
        other.close();
        database.close();
    }

    @Override
    protected BudgetStore replica() {
        return replica;
    }

    @Override
    protected BudgetStore store() {
        return store;
    }
}
