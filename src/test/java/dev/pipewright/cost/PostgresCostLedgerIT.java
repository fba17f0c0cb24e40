package dev.pipewright.cost;

import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.TestDatabases;
import dev.pipewright.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class PostgresCostLedgerIT extends CostLedgerContract {
    private String url;
    private Database database;
    private CostLedger ledger;

    @BeforeEach
    void open() {
        url = TestDatabases.freshPostgresSchema("cost_ledger");
        database = Database.open(new StorageConfig(url));
        ledger = new JdbcCostLedger(database);
    }

    @AfterEach
    void close() {
        database.close();
        TestDatabases.dropPostgresSchema(url);
    }

    @Override
    protected CostLedger ledger() {
        return ledger;
    }
}
