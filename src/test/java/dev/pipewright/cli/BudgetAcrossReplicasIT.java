package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.cost.CostQuery;
import dev.pipewright.cost.CostReport;
import dev.pipewright.cost.JdbcCostLedger;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.jobs.TestDatabases;
import dev.pipewright.store.Database;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two {@code pipewright serve} processes on one PostgreSQL (budgets in it, or in Redis) under concurrent load share
 * one daily budget: each call reserves its maximum cost before it runs, so what they spend together never passes the
 * limit by more than the reservations in flight when it ran out, which here is nothing, since every answer costs at
 * most what was reserved for it.
 */
class BudgetAcrossReplicasIT {
    /** $1000 per Mtok out: an answer of at most 100 tokens costs at most $0.10; the day's budget is $2.00. */
    private static final BigDecimal LIMIT = new BigDecimal("2.00");

    private static final int CLIENTS_PER_REPLICA = 6;
    private static final int REQUESTS_PER_CLIENT = 8;
    private static final String KEY = "pw_budget-replicas-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private final List<Process> replicas = new ArrayList<>();
    private String storage;

    @BeforeEach
    void schema() {
        storage = TestDatabases.freshPostgresSchema("budget_replicas");
    }

    @AfterEach
    void stopReplicas() throws InterruptedException {
        for (Process replica : replicas) {
            replica.destroy();
        }
        for (Process replica : replicas) {
            if (!replica.waitFor(30, TimeUnit.SECONDS)) {
                replica.destroyForcibly();
            }
        }
        TestDatabases.dropPostgresSchema(storage);
    }

    @ParameterizedTest(name = "budgets in {0}")
    @ValueSource(strings = {"postgresql", "redis"})
    void two_replicas_never_spend_past_the_budget_together(String budgetStore) throws Exception {
        // given
        Path config = writeConfig(budgetStore);
        int[] ports = {freePort(), freePort()};
        for (int port : ports) {
            replicas.add(startReplica(config, port));
        }
        for (int i = 0; i < ports.length; i++) {
            awaitLive(replicas.get(i), ports[i]);
        }
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();

        // when
        try (ExecutorService clients = Executors.newFixedThreadPool(2 * CLIENTS_PER_REPLICA)) {
            List<Future<?>> work = new ArrayList<>();
            for (int port : ports) {
                for (int client = 0; client < CLIENTS_PER_REPLICA; client++) {
                    work.add(clients.submit(() -> {
                        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                            HttpResponse<String> response = run(port);
                            assertThat(response.statusCode())
                                    .as(response.body())
                                    .isIn(200, 429);
                            (response.statusCode() == 200 ? admitted : refused).incrementAndGet();
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> done : work) {
                done.get();
            }
        }

        // then: the ledger (written in batches) holds every answered call, and they stayed within the budget
        JsonNode budget = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> dailyBudget(ports[0]),
                        b -> b.get("reserved_usd").decimalValue().signum() == 0);
        CostReport spent = await().atMost(Duration.ofSeconds(30))
                .until(
                        this::ledger,
                        report -> report.rows().stream()
                                        .mapToLong(CostReport.Row::calls)
                                        .sum()
                                == admitted.get());
        BigDecimal total = spent.totalUsd();
        assertThat(refused.get()).as("requests refused").isPositive();
        assertThat(total).as("spent by %d answered calls", admitted.get()).isLessThanOrEqualTo(LIMIT);
        assertThat(total)
                .as("the budget was used up to its last call")
                .isGreaterThan(LIMIT.subtract(new BigDecimal("0.11")));
        assertThat(budget.get("used_usd").decimalValue()).isEqualByComparingTo(total);
        assertThat(budget.get("limit_usd").decimalValue()).isEqualByComparingTo(LIMIT);
    }

    private JsonNode dailyBudget(int port) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/budgets"))
                .header("Authorization", "Bearer " + KEY)
                .build();
        JsonNode budgets = JSON.readTree(
                HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode budget : budgets.get("budgets")) {
            if (budget.get("period").asText().equals("daily")) {
                return budget;
            }
        }
        throw new AssertionError("no daily budget in " + budgets);
    }

    private CostReport ledger() {
        try (Database database = Database.open(new StorageConfig(storage))) {
            return new JdbcCostLedger(database)
                    .report(new CostQuery(
                            Instant.now().minus(Duration.ofDays(1)), Instant.now(), List.of(), Optional.empty()));
        }
    }

    private Path writeConfig(String budgetStore) throws IOException {
        Path config = dir.resolve("pipewright.yaml");
        String redis = budgetStore.equals("redis")
                ? "redis: {url: \"" + System.getProperty("pipewright.test.redis", "redis://127.0.0.1:6379") + "\"}\n"
                : "";
        Files.writeString(config, """
                storage: {url: "%s"}
                %sproviders:
                  sim: {kind: simulated}
                models:
                  chat:
                    provider: sim
                    model: sim-chat
                    simulation: {latency: 50ms, output_tokens: 100}
                    price: {input_per_mtok: 10, output_per_mtok: 1000}
                pipelines:
                  echo:
                    steps:
                      answer: {model: chat, prompt: "Answer: {{input.text}}", max_tokens: 100}
                tenants:
                  budgeted-%s: {api_keys: ["%s"], budget: {daily_usd: %s}}
                """.formatted(
                        storage, redis, Long.toHexString(System.nanoTime()), ApiKeys.hash(KEY), LIMIT.toPlainString()));
        return config;
    }

    private Process startReplica(Path config, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "serve",
                        "--role",
                        "gateway",
                        "--config",
                        config.toString(),
                        "--port",
                        Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("replica-" + port + ".log").toFile());
        builder.environment().remove("PIPEWRIGHT_MASTER_KEY");
        return builder.start();
    }

    private void awaitLive(Process replica, int port) {
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!replica.isAlive()) {
                        throw new AssertionError("the replica on port " + port + " exited with " + replica.exitValue()
                                + ":\n" + Files.readString(dir.resolve("replica-" + port + ".log")));
                    }
                    try {
                        return HTTP.send(
                                                HttpRequest.newBuilder(
                                                                URI.create("http://127.0.0.1:" + port + "/health/live"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> run(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/pipelines/echo"))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"hello\"}}"))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
