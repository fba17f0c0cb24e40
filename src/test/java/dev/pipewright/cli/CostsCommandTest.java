package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.StorageConfig;
import dev.pipewright.cost.JdbcCostLedger;
import dev.pipewright.cost.LedgerEntry;
import dev.pipewright.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CostsCommandTest {
    @TempDir
    Path dir;

    private Path config;

    private static LedgerEntry row(String day, String tenant, String pipeline, String model, String cost) {
        return new LedgerEntry(
                Instant.parse(day + "T12:00:00Z"),
                tenant,
                pipeline,
                "step",
                model.startsWith("claude") ? "anthropic" : "openai",
                model,
                model + "-2025",
                pipeline.equals("analyze") ? "v2" : "",
                1000,
                100,
                0,
                new BigDecimal(cost),
                false,
                "req",
                Map.of());
    }

    @BeforeEach
    void ledgerWithRows() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("pipewright.db");
        config = Files.writeString(dir.resolve("pipewright.yaml"), "storage: {url: \"" + url + "\"}\n");
        try (Database database = Database.open(new StorageConfig(url))) {
            new JdbcCostLedger(database)
                    .append(List.of(
                            row("2026-11-01", "acme", "analyze", "claude", "0.25"),
                            row("2026-11-02", "acme", "triage", "gpt", "0.000123"),
                            row("2026-11-02", "globex", "analyze", "gpt", "1.5")));
        }
    }

    private String execute(String... args) {
        StringWriter out = new StringWriter();
        String[] withConfig = Stream.concat(
                        Stream.of(args),
                        Stream.of("--config", config.toString(), "--from", "2026-11-01", "--to", "2026-11-30"))
                .toArray(String[]::new);
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(new StringWriter()))
                .execute(withConfig);
        assertThat(code).isZero();
        return out.toString();
    }

    @Test
    void prints_a_table_grouped_as_asked_with_a_total() {
        // when
        String table = execute("costs", "--group-by", "tenant,model");

        // then
        assertThat(table.lines())
                .containsExactly(
                        "tenant  model   calls  input_tokens  output_tokens  cost_usd",
                        "acme    claude      1          1000            100      0.25",
                        "acme    gpt         1          1000            100  0.000123",
                        "globex  gpt         1          1000            100      1.50",
                        "total                                               1.750123");
    }

    @Test
    void prints_csv_and_filters_by_tenant() {
        // when
        String csv = execute("costs", "--group-by", "day,pipeline", "--tenant", "acme", "--csv");

        // then
        assertThat(csv.lines())
                .containsExactly(
                        "day,pipeline,calls,input_tokens,output_tokens,cost_usd",
                        "2026-11-01,analyze,1,1000,100,0.25",
                        "2026-11-02,triage,1,1000,100,0.000123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenant", "pipeline", "step", "provider", "model", "variant", "day"})
    void groups_by_every_dimension(String dimension) {
        // when
        List<String> lines =
                execute("costs", "--group-by", dimension, "--csv").lines().toList();

        // then
        assertThat(lines.getFirst()).isEqualTo(dimension + ",calls,input_tokens,output_tokens,cost_usd");
        assertThat(lines.subList(1, lines.size()).stream()
                        .map(line -> new BigDecimal(line.substring(line.lastIndexOf(',') + 1)))
                        .reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("1.750123");
    }
}
