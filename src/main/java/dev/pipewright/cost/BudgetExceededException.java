package dev.pipewright.cost;

import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import java.time.Duration;
import java.util.Optional;

/**
 * A call refused because a budget it counts toward is spent: a {@link ModelError.RateLimited} whose message names the
 * budget and whose retry-after is the time until the budget resets, so that the gateway answers 429 and a job snoozes
 * until then. Never retried by the chain: the cost link sits outside the retry and fallback links.
 */
public final class BudgetExceededException extends ModelException {
    private final BudgetStatus budget;

    BudgetExceededException(BudgetStatus budget, String message, Duration untilReset) {
        super(new ModelError.RateLimited(message, Optional.of(untilReset)));
        this.budget = budget;
    }

    public BudgetStatus budget() {
        return budget;
    }
}
