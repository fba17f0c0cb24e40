package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.cost.BudgetBook;
import dev.pipewright.cost.BudgetGuard;
import dev.pipewright.cost.CostInterceptor;
import dev.pipewright.cost.InMemoryCostLedger;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.jobs.JobQuery;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.jobs.WorkerSettings;
import dev.pipewright.jobs.webhook.HostResolver;
import dev.pipewright.jobs.webhook.WebhookDeliveries;
import dev.pipewright.jobs.webhook.WebhookSecrets;
import dev.pipewright.jobs.webhook.WebhookTargets;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.store.Database;
import dev.pipewright.telemetry.CostMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Allocation tags given when a job is submitted reach the ledger rows its worker writes: a real gateway, SQLite job
 * store, worker pool and cost link.
 */
class JobCostTagsTest {
    private static final String ACME = "pw_acme";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private Database database;
    private JobStore store;
    private GatewayServer server;
    private WorkerPool workers;

    private final ModelClient client = new ModelClient() {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            return new ModelResponse.Chat(options.model(), "ok", "stop", new Usage(1000, 500, 0));
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new AssertionError("no embeddings here");
        }
    };

    @BeforeEach
    void start() {
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat, price: {input_per_mtok: 3.00, output_per_mtok: 15.00}}
                pipelines:
                  echo:
                    steps:
                      first: {model: chat, prompt: "One: {{input.text}}"}
                      second: {model: chat, needs: [first], prompt: "Two: {{steps.first.text}}"}
                tenants:
                  acme: {api_keys: ["%s"]}
                """.formatted(ApiKeys.hash(ACME)), "t.yaml");
        CostInterceptor cost = new CostInterceptor(
                config::model,
                BudgetGuard.NONE,
                ledger::appendOne,
                new CostMeters(new SimpleMeterRegistry()),
                new BigDecimal("0.50"),
                Clock.system());
        ModelCall call = new ModelCall(List.of(cost), model -> client, config::model, Clock.system());
        PipelineExecutor executor = new PipelineExecutor(call, config::model, Clock.system());
        database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("jobs.db")));
        store = JobStores.open(database, Clock.system());
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor)
                        .withAccess(TestAccess.masterKeyOnly(config, "master", Clock.system()))
                        .withModelCall(call)
                        .withJobs(new JobsApi(
                                store,
                                new WebhookTargets(config.webhooks().allow(), HostResolver.system()),
                                new WebhookSecrets(() -> config, Map.<String, String>of()::get),
                                new WebhookDeliveries(database, Clock.system())))
                        .withCosts(new CostsApi(ledger, BudgetBook.NONE)));
        workers = WorkerPool.start(
                1, store, executor, () -> config, Clock.system(), () -> 4L, WorkerSettings.defaults("tagged"));
    }

    @AfterEach
    void stop() {
        workers.close();
        server.close();
        database.close();
    }

    @Test
    void the_ledger_rows_of_an_async_job_carry_the_tags_it_was_submitted_with() throws Exception {
        // when
        HttpResponse<String> submitted = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/jobs"))
                                .header("Authorization", "Bearer " + ACME)
                                .header("X-Pipewright-Tags", "team=search, feature=autocomplete")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"pipeline\": \"echo\", \"input\": {\"text\": \"hi\"}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        String jobId = JSON.readTree(submitted.body()).get("job_id").asText();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.find("acme", jobId).orElseThrow().status() == JobStatus.SUCCEEDED);

        // then
        assertThat(submitted.statusCode()).isEqualTo(202);
        assertThat(ledger.entries()).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.tenant()).isEqualTo("acme");
            assertThat(entry.requestId()).isEqualTo(jobId);
            assertThat(entry.tags()).isEqualTo(Map.of("team", "search", "feature", "autocomplete"));
        });
    }

    @Test
    void malformed_tags_on_a_job_submission_are_a_400_and_enqueue_nothing() throws Exception {
        // when
        HttpResponse<String> refused = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/jobs"))
                                .header("Authorization", "Bearer " + ACME)
                                .header("X-Pipewright-Tags", "team")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"pipeline\": \"echo\", \"input\": {\"text\": \"hi\"}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("detail").asText())
                .startsWith("X-Pipewright-Tags: 'team' is not key=value");
        assertThat(store.list(new JobQuery("acme", Optional.empty(), Optional.empty(), Optional.empty(), 10))
                        .items())
                .isEmpty();
    }
}
