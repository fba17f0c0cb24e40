package dev.pipewright.cost;

import static dev.pipewright.telemetry.LogField.field;

import dev.pipewright.config.Budget;
import dev.pipewright.config.BudgetAction;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.TenantConfig;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.telemetry.CostMeters;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budgets of the configuration, enforced on every model call through the cost link and shown by
 * {@code GET /v1/budgets}. Before a call, the most it can cost (the estimated input tokens at the input price plus
 * {@code max_tokens}, or {@code costs.reserve_output_tokens}, at the output price) is reserved on each budget it
 * counts toward: the tenant's daily and monthly limits and those of its budget for the call's pipeline. When one of
 * them cannot take it, the budget's action applies: {@code degrade} moves the call to the cheaper model of
 * {@code degrade_to} (its reservation is then taken whatever the budget holds); {@code reject} and {@code queue}
 * refuse it with a {@link ModelError.RateLimited} that names the budget and waits until its reset. After the call,
 * the reservation is settled at what the call cost. A budget that crosses 80% counts once per window and process in
 * {@code pipewright.budget.alerts} with level warning; the WARN line and the tenant's alert webhook go out once per
 * window across every replica on the budget store: the replica whose claim of the alert the store grants sends them.
 * Thread safe.
 */
public final class Budgets implements BudgetGuard, BudgetBook {
    static final double WARNING_RATIO = 0.8;
    private static final Duration RESERVATION_MARGIN = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    private final Supplier<PipewrightConfig> config;
    private final BudgetStore store;
    private final CostMeters meters;
    private final Function<String, String> degradeTarget;
    private final Consumer<BudgetAlert> alerts;
    private final Clock clock;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param degradeTarget the model alias to call for a {@code degrade_to} name (a group's pick, or the alias itself)
     * @param alerts where budget alerts go besides the metric and the log (the alert webhook)
     */
    public Budgets(
            Supplier<PipewrightConfig> config,
            BudgetStore store,
            CostMeters meters,
            Function<String, String> degradeTarget,
            Consumer<BudgetAlert> alerts,
            Clock clock) {
        this.config = Objects.requireNonNull(config);
        this.store = Objects.requireNonNull(store);
        this.meters = Objects.requireNonNull(meters);
        this.degradeTarget = Objects.requireNonNull(degradeTarget);
        this.alerts = Objects.requireNonNull(alerts);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A budget that crossed 80% of its limit. */
    public record BudgetAlert(BudgetStatus status, Optional<String> webhook) {}

    @Override
    public Admission admit(Invocation invocation) {
        CallLabels labels = invocation.labels();
        Optional<Budget> budget = config.get().tenant(labels.tenant()).flatMap(TenantConfig::budget);
        if (budget.isEmpty()) {
            return new Admission(invocation, Reservation.NONE);
        }
        Instant now = clock.instant();
        List<BudgetLimit> limits = BudgetLimit.of(labels.tenant(), budget.get(), pipelineOf(labels), now);
        if (limits.isEmpty()) {
            return new Admission(invocation, Reservation.NONE);
        }
        List<BudgetStore.Hold> holds = limits.stream().map(BudgetLimit::hold).toList();
        String id = UUID.randomUUID().toString();
        Instant expiresAt = now.plus(invocation.deadline().remaining()).plus(RESERVATION_MARGIN);
        long picos = Money.picos(maxCost(invocation.request(), invocation.model()));
        int refused = store.reserve(id, holds, picos, now, expiresAt, false);
        if (refused < 0) {
            return new Admission(invocation, reservation(id, holds, picos, limits, budget.get()));
        }
        BudgetLimit spent = limits.get(refused);
        BudgetStatus status = spent.status(store.spend(spent.hold(), now));
        meters.budgetAlert(spent.tenant(), spent.pipeline().orElse(""), spent.period(), "exhausted");
        if (spent.action() == BudgetAction.DEGRADE) {
            return degrade(invocation, spent, holds, limits, budget.get(), id, now, expiresAt);
        }
        log.warn(
                "budget spent",
                field("tenant", spent.tenant()),
                field("budget_pipeline", spent.pipeline().orElse("")),
                field("period", spent.period()),
                field("action", spent.action().name().toLowerCase(java.util.Locale.ROOT)),
                field("resets_at", spent.resetsAt().toString()));
        throw new BudgetExceededException(status, refusal(status, picos), Duration.between(now, spent.resetsAt()));
    }

    private Admission degrade(
            Invocation invocation,
            BudgetLimit spent,
            List<BudgetStore.Hold> holds,
            List<BudgetLimit> limits,
            Budget budget,
            String id,
            Instant now,
            Instant expiresAt) {
        String target = degradeTarget.apply(spent.degradeTo().orElseThrow());
        ModelConfig cheaper = config.get().model(target);
        Invocation degraded = invocation.model().alias().equals(target) ? invocation : invocation.withModel(cheaper);
        long picos = Money.picos(maxCost(invocation.request(), cheaper));
        store.reserve(id, holds, picos, now, expiresAt, true);
        log.info(
                "budget spent, call degraded",
                field("tenant", spent.tenant()),
                field("period", spent.period()),
                field("asked", invocation.model().alias()),
                field("degraded_to", target));
        return new Admission(degraded, reservation(id, holds, picos, limits, budget));
    }

    private Reservation reservation(
            String id, List<BudgetStore.Hold> holds, long picos, List<BudgetLimit> limits, Budget budget) {
        return actual -> {
            store.settle(id, holds, picos, Money.picos(actual));
            warnAtEightyPercent(limits, budget);
        };
    }

    private void warnAtEightyPercent(List<BudgetLimit> limits, Budget budget) {
        Instant now = clock.instant();
        for (BudgetLimit limit : limits) {
            String window = limit.key() + "@" + limit.windowStart();
            if (warned.contains(window)) {
                continue;
            }
            BudgetStatus status = limit.status(store.spend(limit.hold(), now));
            if (status.ratio() >= WARNING_RATIO && warned.add(window)) {
                meters.budgetAlert(limit.tenant(), limit.pipeline().orElse(""), limit.period(), "warning");
                if (!store.claimAlert(limit.hold(), now, limit.resetsAt())) {
                    continue;
                }
                log.warn(
                        "budget 80% used",
                        field("tenant", limit.tenant()),
                        field("budget_pipeline", limit.pipeline().orElse("")),
                        field("period", limit.period()),
                        field("used_usd", status.usedUsd().toPlainString()),
                        field("limit_usd", status.limitUsd().toPlainString()));
                alerts.accept(new BudgetAlert(status, budget.alertWebhook()));
            }
        }
    }

    @Override
    public List<BudgetStatus> statuses(Optional<String> tenant) {
        Instant now = clock.instant();
        List<BudgetStatus> statuses = new ArrayList<>();
        for (TenantConfig each : config.get().tenants().values()) {
            if (tenant.filter(name -> !name.equals(each.name())).isPresent()
                    || each.budget().isEmpty()) {
                continue;
            }
            for (BudgetLimit limit : BudgetLimit.all(each.name(), each.budget().get(), now)) {
                statuses.add(limit.status(store.spend(limit.hold(), now)));
            }
        }
        return statuses;
    }

    @Override
    public Optional<BudgetStatus> spent(String tenant, String pipeline) {
        Optional<Budget> budget = config.get().tenant(tenant).flatMap(TenantConfig::budget);
        if (budget.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        for (BudgetLimit limit : BudgetLimit.of(tenant, budget.get(), Optional.of(pipeline), now)) {
            BudgetStatus status = limit.status(store.spend(limit.hold(), now));
            if (status.spent()) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /** The used share of {@code tenant}'s {@code period} budget, for the gauge; 0 without such a budget. */
    public double usedRatio(String tenant, String period) {
        return usedRatio(tenant, Optional.empty(), period);
    }

    /**
     * The used share of {@code tenant}'s {@code period} budget for {@code pipeline}, for the gauge; 0 without such a
     * budget.
     */
    public double usedRatio(String tenant, String pipeline, String period) {
        return usedRatio(tenant, Optional.of(pipeline), period);
    }

    private double usedRatio(String tenant, Optional<String> pipeline, String period) {
        Instant now = clock.instant();
        return config.get().tenant(tenant).flatMap(TenantConfig::budget).stream()
                .flatMap(budget -> BudgetLimit.of(tenant, budget, pipeline, now).stream())
                .filter(limit ->
                        limit.pipeline().equals(pipeline) && limit.period().equals(period))
                .findFirst()
                .map(limit -> limit.status(store.spend(limit.hold(), now)).ratio())
                .orElse(0.0);
    }

    /**
     * The most a call can cost at {@code model}'s price: its input counted from the text, and {@code max_tokens} (or
     * {@code costs.reserve_output_tokens}) of output. Nothing for a model without a price.
     */
    BigDecimal maxCost(ModelRequest request, ModelConfig model) {
        long output = switch (request) {
            case ModelRequest.Chat chat ->
                chat.maxTokens().orElse(config.get().costs().reserveOutputTokens());
            case ModelRequest.Embedding ignored -> 0;
        };
        return model.price()
                .map(price -> price.costOf(TokenEstimate.input(request), 0, output, request.images()))
                .orElse(BigDecimal.ZERO);
    }

    /** Refusal text: names the budget, what it holds, and when it resets. */
    static String refusal(BudgetStatus status, long requestedPicos) {
        return status.describe() + " is spent: $" + status.usedUsd().toPlainString() + " used and $"
                + status.reservedUsd().toPlainString() + " reserved by calls in flight, and this call may cost up to $"
                + Money.usd(requestedPicos).toPlainString() + "; it resets at " + status.resetsAt();
    }

    private static Optional<String> pipelineOf(CallLabels labels) {
        return labels.pipeline().isBlank() ? Optional.empty() : Optional.of(labels.pipeline());
    }
}
