package dev.pipewright.cost;

import dev.pipewright.config.Budget;
import dev.pipewright.config.BudgetAction;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One limit of a configured budget in the window that contains a moment: daily windows are UTC days, monthly
 * windows UTC calendar months. {@code key} names the budget in the store: {@code tenant/acme/daily} or
 * {@code pipeline/acme/analyze/monthly}.
 */
record BudgetLimit(
        String scope,
        String tenant,
        Optional<String> pipeline,
        String period,
        BigDecimal limitUsd,
        BudgetAction action,
        Optional<String> degradeTo,
        Instant windowStart,
        Instant resetsAt) {

    String key() {
        return scope + "/" + tenant + pipeline.map(p -> "/" + p).orElse("") + "/" + period;
    }

    BudgetStore.Hold hold() {
        return new BudgetStore.Hold(key(), windowStart.toEpochMilli(), Money.picos(limitUsd));
    }

    BudgetStatus status(BudgetStore.Spend spend) {
        return new BudgetStatus(
                scope,
                tenant,
                pipeline,
                period,
                limitUsd,
                Money.usd(spend.usedPicos()),
                Money.usd(spend.reservedPicos()),
                resetsAt,
                action,
                degradeTo);
    }

    /** The limits of {@code tenant}'s budget, then of its budget for {@code pipeline} when it has one, at {@code now}. */
    static List<BudgetLimit> of(String tenant, Budget budget, Optional<String> pipeline, Instant now) {
        List<BudgetLimit> limits = new ArrayList<>();
        add(limits, "tenant", tenant, Optional.empty(), budget, now);
        pipeline.map(budget.pipelines()::get)
                .ifPresent(limitsOfPipeline -> add(limits, "pipeline", tenant, pipeline, limitsOfPipeline, now));
        return limits;
    }

    /** Every limit of {@code tenant}'s budget and of each of its pipeline budgets. */
    static List<BudgetLimit> all(String tenant, Budget budget, Instant now) {
        List<BudgetLimit> limits = new ArrayList<>();
        add(limits, "tenant", tenant, Optional.empty(), budget, now);
        budget.pipelines()
                .forEach((name, limitsOfPipeline) ->
                        add(limits, "pipeline", tenant, Optional.of(name), limitsOfPipeline, now));
        return limits;
    }

    private static void add(
            List<BudgetLimit> limits,
            String scope,
            String tenant,
            Optional<String> pipeline,
            Budget budget,
            Instant now) {
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        budget.dailyUsd()
                .ifPresent(usd -> limits.add(new BudgetLimit(
                        scope,
                        tenant,
                        pipeline,
                        "daily",
                        usd,
                        budget.action(),
                        budget.degradeTo(),
                        startOf(today),
                        startOf(today.plusDays(1)))));
        LocalDate month = today.withDayOfMonth(1);
        budget.monthlyUsd()
                .ifPresent(usd -> limits.add(new BudgetLimit(
                        scope,
                        tenant,
                        pipeline,
                        "monthly",
                        usd,
                        budget.action(),
                        budget.degradeTo(),
                        startOf(month),
                        startOf(month.plusMonths(1)))));
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
