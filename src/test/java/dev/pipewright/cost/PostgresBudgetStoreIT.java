package dev.pipewright.cost;

import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.TestDatabases;
import dev.pipewright.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class PostgresBudgetStoreIT extends BudgetStoreContract {
    private String url;
    private Database database;
    private BudgetStore store;

    @BeforeEach
    void open() {
        url = TestDatabases.freshPostgresSchema("cost_budget");
        database = Database.open(new StorageConfig(url));
        store = new JdbcBudgetStore(database);
    }

    @AfterEach
    void close() {
        database.close();
        TestDatabases.dropPostgresSchema(url);
    }

    @Override
    protected BudgetStore store() {
        return store;
    }
}
