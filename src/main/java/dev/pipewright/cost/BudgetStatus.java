package dev.pipewright.cost;

import dev.pipewright.config.BudgetAction;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;

/**
 * One budget in one period window: its scope ({@code tenant}, or {@code pipeline} for a limit of one pipeline's
 * runs), the limit, what calls have cost so far ({@code used}) and what calls in flight hold ({@code reserved}),
 * when the window ends and what happens once it is spent.
 */
public record BudgetStatus(
        String scope,
        String tenant,
        Optional<String> pipeline,
        String period,
        BigDecimal limitUsd,
        BigDecimal usedUsd,
        BigDecimal reservedUsd,
        Instant resetsAt,
        BudgetAction action,
        Optional<String> degradeTo) {

    /** The share of the limit used, 1 or more when spent; reservations not included. */
    public double ratio() {
        if (limitUsd.signum() == 0) {
            return 1.0;
        }
        return usedUsd.divide(limitUsd, 6, RoundingMode.HALF_UP).doubleValue();
    }

    /** Whether nothing more fits: what is used and reserved reaches the limit. */
    public boolean spent() {
        return usedUsd.add(reservedUsd).compareTo(limitUsd) >= 0;
    }

    /** How a message names this budget: {@code the daily budget of tenant acme for pipeline analyze ($5.00)}. */
    public String describe() {
        return "the " + period + " budget of tenant " + tenant
                + pipeline.map(p -> " for pipeline " + p).orElse("") + " ($" + limitUsd.toPlainString() + ")";
    }
}
