package dev.pipewright.gateway;

import dev.pipewright.cost.BudgetBook;
import dev.pipewright.cost.CostLedger;
import java.util.Objects;

/** What the cost routes need: the ledger that {@code GET /v1/costs} sums and the budgets {@code GET /v1/budgets} shows. */
public record CostsApi(CostLedger ledger, BudgetBook budgets) {
    public CostsApi {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(budgets, "budgets");
    }
}
