package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.Price;
import dev.pipewright.config.PriceTable;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.Usage;
import dev.pipewright.provider.anthropic.AnthropicModelClient;
import dev.pipewright.provider.openai.OpenAiModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.provider.simulated.SimulatorServer;
import dev.pipewright.store.Database;
import dev.pipewright.telemetry.CostMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mixed run against the simulator over the real OpenAI and Anthropic wire formats (JSON and streams, chat and
 * embeddings, three pinned models priced by the shipped table): the ledger in SQLite equals, to the cent and in fact
 * to the pico-dollar, the sum of each answer's reported usage at the table's prices.
 */
class SimulatorReconciliationTest {
    @TempDir
    Path folder;

    @Test
    void the_ledger_equals_the_reported_usage_at_the_price_table() {
        try (SimulatorServer simulator = SimulatorServer.start(
                        "127.0.0.1", 0, SimulationProfiles.fromNames(), Clock.system(), new Random(11));
                Database database =
                        Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("pipewright.db")))) {
            // given
            String base = "http://127.0.0.1:" + simulator.port();
            PipewrightConfig config = ConfigLoader.parse("""
                    providers:
                      openai: {kind: openai, api_key_env: SIMULATOR_KEY, base_url: "%s/v1"}
                      anthropic: {kind: anthropic, api_key_env: SIMULATOR_KEY, base_url: "%s"}
                    models:
                      gpt: {provider: openai, model: gpt-4o-mini-2024-07-18}
                      claude: {provider: anthropic, model: claude-haiku-4-5-20251001}
                      embedder: {provider: openai, model: text-embedding-3-small, type: embedding}
                    """.formatted(base, base), "t.yaml");
            ModelClient openai = new OpenAiModelClient(
                    config.providers().get("openai"), name -> Optional.of("sk-simulated"), Clock.system());
            ModelClient anthropic = new AnthropicModelClient(
                    config.providers().get("anthropic"), name -> Optional.of("sk-simulated"), Clock.system());
            JdbcCostLedger ledger = new JdbcCostLedger(database);
            LedgerWriter writer =
                    new LedgerWriter(ledger, 1000, Duration.ofMillis(20), new CostMeters(new SimpleMeterRegistry()));
            ModelCall call = new ModelCall(
                    List.of(new CostInterceptor(
                            config::model,
                            BudgetGuard.NONE,
                            writer,
                            new CostMeters(new SimpleMeterRegistry()),
                            new BigDecimal("0.50"),
                            Clock.system())),
                    model -> model.provider().equals("openai") ? openai : anthropic,
                    config::model,
                    Clock.system());
            BigDecimal expected = BigDecimal.ZERO;
            Random lengths = new Random(5);

            // when
            for (int i = 0; i < 40; i++) {
                String text = "word ".repeat(1 + lengths.nextInt(400));
                CallLabels labels = new CallLabels("acme", "mixed", "step-" + (i % 5), "req-" + i);
                Deadline deadline = Deadline.after(Duration.ofMinutes(1), Clock.system());
                ModelRequest.Chat chat = new ModelRequest.Chat(
                        List.of(ChatMessage.user(text)),
                        OptionalInt.of(1 + lengths.nextInt(300)),
                        OptionalDouble.empty());
                ModelResult result = switch (i % 5) {
                    case 0 -> call.execute(chat, "gpt", deadline, "k" + i, labels);
                    case 1 -> call.stream(chat, "gpt", deadline, "k" + i, labels, piece -> {});
                    case 2 -> call.execute(chat, "claude", deadline, "k" + i, labels);
                    case 3 -> call.stream(chat, "claude", deadline, "k" + i, labels, piece -> {});
                    default ->
                        call.execute(
                                new ModelRequest.Embedding(List.of(text, text)), "embedder", deadline, "k" + i, labels);
                };
                assertThat(result.usage().estimated()).isFalse();
                assertThat(result.usage().inputTokens()).isPositive();
                expected = expected.add(
                        atListPrice(config.model(result.answeredBy()).model(), result.usage()));
            }
            writer.close();

            // then
            CostReport report = ledger.report(new CostQuery(
                    Instant.now().minus(Duration.ofHours(1)),
                    Instant.now().plusSeconds(1),
                    List.of(Dimension.MODEL),
                    Optional.of("acme")));
            assertThat(report.rows()).extracting(CostReport.Row::calls).containsExactly(16L, 8L, 16L);
            assertThat(report.totalUsd().setScale(2, RoundingMode.HALF_UP))
                    .isEqualTo(expected.setScale(2, RoundingMode.HALF_UP));
            assertThat(report.totalUsd()).isEqualByComparingTo(expected);
            assertThat(expected).isGreaterThan(new BigDecimal("0.001"));
        }
    }

    /** The table's input and output rates per million tokens, applied by hand. */
    private static BigDecimal atListPrice(String model, Usage usage) {
        Price price = PriceTable.shipped().priceOf(model).orElseThrow();
        return price.inputPerMtok()
                .multiply(BigDecimal.valueOf(usage.inputTokens()))
                .add(price.outputPerMtok().multiply(BigDecimal.valueOf(usage.outputTokens())))
                .divide(BigDecimal.valueOf(1_000_000));
    }
}
