package dev.pipewright.cost;

import java.util.List;
import java.util.Optional;

/** The budgets as the API shows them, and the check a request is admitted by before it runs. Thread safe. */
public interface BudgetBook {
    BudgetBook NONE = new BudgetBook() {
        @Override
        public List<BudgetStatus> statuses(Optional<String> tenant) {
            return List.of();
        }

        @Override
        public Optional<BudgetStatus> spent(String tenant, String pipeline) {
            return Optional.empty();
        }
    };

    /** Every configured budget (of {@code tenant} only, when present) with what it has used and holds in reserve. */
    List<BudgetStatus> statuses(Optional<String> tenant);

    /** The first budget that a run of {@code pipeline} for {@code tenant} counts toward and that is spent. */
    Optional<BudgetStatus> spent(String tenant, String pipeline);
}
