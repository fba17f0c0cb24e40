package dev.pipewright.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's spending limits in USD per UTC day and per UTC month, what happens once one is spent ({@code action};
 * {@code degradeTo} names the cheaper model alias or model group of {@code degrade}), where the 80% alert is posted
 * besides the metric and the log, and optional limits of the tenant's runs of single pipelines, keyed by pipeline.
 */
public record Budget(
        Optional<BigDecimal> dailyUsd,
        Optional<BigDecimal> monthlyUsd,
        BudgetAction action,
        Optional<String> degradeTo,
        Optional<String> alertWebhook,
        Map<String, Budget> pipelines) {

    public Budget {
        Objects.requireNonNull(action, "action");
        pipelines = Maps.ordered(pipelines);
        if (action == BudgetAction.DEGRADE && degradeTo.isEmpty()) {
            throw new IllegalArgumentException(
                    "action degrade needs degrade_to, the cheaper model alias or model group to route to");
        }
        if (action != BudgetAction.DEGRADE && degradeTo.isPresent()) {
            throw new IllegalArgumentException(
                    "degrade_to applies only to action degrade, but the action is " + ConfigNode.configName(action));
        }
    }

    /** Limits that reject once spent, with no alert webhook and no pipeline limits. */
    public Budget(Optional<BigDecimal> dailyUsd, Optional<BigDecimal> monthlyUsd) {
        this(dailyUsd, monthlyUsd, BudgetAction.REJECT, Optional.empty(), Optional.empty(), Map.of());
    }
}
