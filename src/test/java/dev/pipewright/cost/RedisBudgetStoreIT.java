package dev.pipewright.cost;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class RedisBudgetStoreIT extends BudgetStoreContract {
    private RedisBudgetStore store;
    private RedisBudgetStore replica;

    @BeforeEach
    void connect() {
        String prefix = "test-" + UUID.randomUUID() + ":";
        store = RedisBudgetStore.connect(URI.create("redis://127.0.0.1:6379"), prefix);
        replica = RedisBudgetStore.connect(URI.create("redis://127.0.0.1:6379"), prefix);
    }

    @AfterEach
    void close() {
        replica.close();
        store.close();
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
