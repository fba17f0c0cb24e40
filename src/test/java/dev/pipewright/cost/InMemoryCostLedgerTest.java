package dev.pipewright.cost;

class InMemoryCostLedgerTest extends CostLedgerContract {
    private final InMemoryCostLedger ledger = new InMemoryCostLedger();

    @Override
    protected CostLedger ledger() {
        return ledger;
    }
}
