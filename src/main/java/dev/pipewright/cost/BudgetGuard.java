package dev.pipewright.cost;

import dev.pipewright.model.Invocation;
import java.math.BigDecimal;

/**
 * The budget side of the cost link: before a call, reserve the most it can cost against every budget it counts
 * toward, or refuse it (a {@link dev.pipewright.model.ModelException}), or move it to a cheaper model; after it,
 * settle the reservation at what the call cost. Thread safe.
 */
public interface BudgetGuard {
    BudgetGuard NONE = invocation -> new Admission(invocation, Reservation.NONE);

    /**
     * Admits {@code invocation}, perhaps moved to a cheaper model.
     *
     * @throws dev.pipewright.model.ModelException with {@link dev.pipewright.model.ModelError.RateLimited} when a
     *     budget it counts toward is spent and its action is not degrade
     */
    Admission admit(Invocation invocation);

    /** What to call, and the hold on the budgets to settle once the call is over. */
    record Admission(Invocation invocation, Reservation reservation) {}

    /** A hold on budgets; settled exactly once, at the call's cost (zero when nothing answered). */
    interface Reservation {
        Reservation NONE = actual -> {};

        void settle(BigDecimal actualUsd);
    }
}
