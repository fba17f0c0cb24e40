package dev.pipewright.cost;

import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.TestDatabases;
import dev.pipewright.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class PostgresBudgetStoreIT extends BudgetStoreContract {
    private String url;
    private Database database;
    private Database other;
    private BudgetStore store;
    private BudgetStore replica;

    @BeforeEach
    void open() {
        url = TestDatabases.freshPostgresSchema("cost_budget");
        database = Database.open(new StorageConfig(url));
        store = new JdbcBudgetStore(database);
        other = Database.open(new StorageConfig(url));
        replica = new JdbcBudgetStore(other);
    }

    @AfterEach
    void close() {
        other.close();
        database.close();
        TestDatabases.dropPostgresSchema(url);
    }

    @Override
    protected BudgetStore store() {
        return store;
    }

    @Override
    protected BudgetStore replica() {
        return replica;
    }
}
