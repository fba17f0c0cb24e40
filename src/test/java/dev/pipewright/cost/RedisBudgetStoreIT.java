package dev.pipewright.cost;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class RedisBudgetStoreIT extends BudgetStoreContract {
    private RedisBudgetStore store;

    @BeforeEach
    void connect() {
        store = RedisBudgetStore.connect(URI.create("redis://127.0.0.1:6379"), "test-" + UUID.randomUUID() + ":");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected BudgetStore store() {
        return store;
    }
}
