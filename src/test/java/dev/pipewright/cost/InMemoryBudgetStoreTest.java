package dev.pipewright.cost;

class InMemoryBudgetStoreTest extends BudgetStoreContract {
    private final InMemoryBudgetStore store = new InMemoryBudgetStore();

    @Override
    protected BudgetStore store() {
        return store;
    }
}
