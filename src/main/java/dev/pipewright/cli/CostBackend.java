package dev.pipewright.cli;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.cost.BudgetBook;
import dev.pipewright.cost.BudgetStore;
import dev.pipewright.cost.Budgets;
import dev.pipewright.cost.CostInterceptor;
import dev.pipewright.cost.CostLedger;
import dev.pipewright.cost.InMemoryBudgetStore;
import dev.pipewright.cost.InMemoryCostLedger;
import dev.pipewright.cost.JdbcBudgetStore;
import dev.pipewright.cost.JdbcCostLedger;
import dev.pipewright.cost.LedgerEntry;
import dev.pipewright.cost.LedgerWriter;
import dev.pipewright.cost.RedisBudgetStore;
import dev.pipewright.gateway.CostsApi;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.store.Database;
import dev.pipewright.telemetry.Telemetry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a process keeps its costs: the ledger in the database of {@code storage.url} (or in memory for a process
 * with no database), written in batches by a {@link LedgerWriter}, and the budgets. The engine asks it for the cost
 * link of the model-call chain; closing it writes what is still queued, so it closes after the engine.
 */
final class CostBackend implements AutoCloseable {
    static final Duration FLUSH_EVERY = Duration.ofMillis(500);

    private final Optional<Database> database;
    private final CostLedger ledger;
    private final Clock clock;
    private final BudgetStore store;
    private boolean linked;
    private LedgerWriter writer;
    private BudgetBook budgets = BudgetBook.NONE;

    private CostBackend(Optional<Database> database, CostLedger ledger, BudgetStore store, Clock clock) {
        this.database = database;
        this.ledger = ledger;
        this.store = store;
        this.clock = clock;
    }

    /**
     * The ledger in the database of {@code config.storage()}, its tables brought up to date; budgets in the Redis of
     * {@code redis.url} when there is one, else in the same database, so that every replica shares them.
     */
    static CostBackend open(PipewrightConfig config, Clock clock) {
        Database database = Database.open(config.storage());
        try {
            BudgetStore store = config.redis().isPresent()
                    ? RedisBudgetStore.connect(config.redis().get().url(), "pipewright:")
                    : new JdbcBudgetStore(database);
            return new CostBackend(Optional.of(database), new JdbcCostLedger(database), store, clock);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** A ledger and budgets in memory, for a process that keeps no database. */
    static CostBackend inMemory(Clock clock) {
        return new CostBackend(Optional.empty(), new InMemoryCostLedger(), new InMemoryBudgetStore(), clock);
    }

    /** The cost link of the model-call chain; called once, by the engine, with the engine's telemetry. */
    synchronized ModelInterceptor link(
            Supplier<PipewrightConfig> config, Telemetry telemetry, Function<String, String> degradeTarget) {
        if (linked) {
            throw new IllegalStateException("the cost link is built once per process");
        }
        linked = true;
        PipewrightConfig current = config.get();
        Consumer<LedgerEntry> sink;
        if (ledger instanceof InMemoryCostLedger memory) {
            // Memory takes a row at once; no queue or thread is worth having for it.
            sink = memory::appendOne;
        } else {
            writer = new LedgerWriter(ledger, current.costs().ledgerQueue(), FLUSH_EVERY, telemetry.cost());
            sink = writer;
        }
        Budgets enforced = new Budgets(
                config, store, telemetry.cost(), degradeTarget, new BudgetAlertWebhooks(config, clock), clock);
        current.tenants().values().stream()
                .filter(tenant -> tenant.budget().isPresent())
                .forEach(tenant -> {
                    telemetry
                            .budgets()
                            .register(tenant.name(), "daily", () -> enforced.usedRatio(tenant.name(), "daily"));
                    telemetry
                            .budgets()
                            .register(tenant.name(), "monthly", () -> enforced.usedRatio(tenant.name(), "monthly"));
                    tenant.budget().get().pipelines().forEach((pipeline, limits) -> {
                        limits.dailyUsd()
                                .ifPresent(usd -> telemetry
                                        .budgets()
                                        .registerPipeline(
                                                tenant.name(),
                                                pipeline,
                                                "daily",
                                                () -> enforced.usedRatio(tenant.name(), pipeline, "daily")));
                        limits.monthlyUsd()
                                .ifPresent(usd -> telemetry
                                        .budgets()
                                        .registerPipeline(
                                                tenant.name(),
                                                pipeline,
                                                "monthly",
                                                () -> enforced.usedRatio(tenant.name(), pipeline, "monthly")));
                    });
                });
        budgets = enforced;
        return new CostInterceptor(
                alias -> config.get().model(alias),
                enforced,
                sink,
                telemetry.cost(),
                current.costs().requestCeilingUsd(),
                clock);
    }

    CostLedger ledger() {
        return ledger;
    }

    /** What the gateway's cost routes read. */
    CostsApi api() {
        return new CostsApi(ledger, budgets);
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            writer.close();
        }
        store.close();
        database.ifPresent(Database::close);
    }
}
