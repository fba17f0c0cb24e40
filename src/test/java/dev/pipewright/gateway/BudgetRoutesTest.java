package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.cost.Budgets;
import dev.pipewright.cost.CostInterceptor;
import dev.pipewright.cost.InMemoryBudgetStore;
import dev.pipewright.cost.InMemoryCostLedger;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
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
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.release.Releases;
import dev.pipewright.store.Database;
import dev.pipewright.telemetry.CostMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spent budgets on a real server: reject answers 429 with the budget and Retry-After, queue answers 202 with a job. */
class BudgetRoutesTest {
    private static final String REJECTING = "pw_rejecting";
    private static final String QUEUEING = "pw_queueing";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path folder;

    private Database database;
    private JobStore store;
    private GatewayServer server;
    private Releases releases;

    /** Every answer uses 1000 output tokens: $0.01 at the price below; each tenant may spend $0.01 a day. */
    private final ModelClient client = new ModelClient() {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            return new ModelResponse.Chat(options.model(), "ok", "stop", new Usage(0, 1000, 0));
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new AssertionError("no embeddings here");
        }
    };

    @BeforeEach
    void start() {
        PipewrightConfig config =
                ConfigLoader.parse("""
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat, price: {input_per_mtok: 0, output_per_mtok: 10.00}}
                pipelines:
                  echo: {steps: {only: {model: chat, prompt: "{{input.text}}", max_tokens: 1000}}}
                deployments:
                  echo:
                    candidates:
                      terse:
                        pipeline: {steps: {only: {model: chat, prompt: "Briefly: {{input.text}}", max_tokens: 1000}}}
                        weight: 100
                tenants:
                  rejecting: {api_keys: ["%s"], budget: {daily_usd: 0.01}}
                  queueing: {api_keys: ["%s"], budget: {daily_usd: 0.01, action: queue}}
                """.formatted(ApiKeys.hash(REJECTING), ApiKeys.hash(QUEUEING)), "t.yaml");
        database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("jobs.db")));
        store = JobStores.open(database, Clock.system());
        JobsApi jobs = new JobsApi(
                store,
                new WebhookTargets(config.webhooks().allow(), HostResolver.system()),
                new WebhookSecrets(() -> config, Map.<String, String>of()::get),
                new WebhookDeliveries(database, Clock.system()));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Budgets budgets = new Budgets(
                () -> config,
                new InMemoryBudgetStore(),
                new CostMeters(registry),
                name -> name,
                alert -> {},
                Clock.system());
        CostInterceptor cost = new CostInterceptor(
                config::model,
                budgets,
                new InMemoryCostLedger()::appendOne,
                new CostMeters(registry),
                new BigDecimal("0.50"),
                Clock.system());
        ModelCall call = new ModelCall(List.of(cost), model -> client, config::model, Clock.system());
        PipelineExecutor executor = new PipelineExecutor(call, config::model, Clock.system());
        releases = new Releases(
                ReleaseStore.open(database), () -> config, executor, registry, Clock.system(), new SplittableRandom(5));
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor)
                        .withAccess(TestAccess.masterKeyOnly(config, "master", Clock.system()))
                        .withModelCall(call)
                        .withJobs(jobs)
                        .withCosts(new CostsApi(new InMemoryCostLedger(), budgets))
                        .withRelease(new ReleaseParts(releases, Optional.of(releases.control()))));
    }

    @AfterEach
    void stop() {
        server.close();
        releases.close();
        database.close();
    }

    private static Instant midnight() {
        return LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    @Test
    void a_spent_rejecting_budget_answers_429_naming_the_budget_and_when_it_resets() throws Exception {
        // given
        assertThat(run(REJECTING).statusCode()).isEqualTo(200);

        // when
        HttpResponse<String> refused = run(REJECTING);

        // then
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("type").asText()).isEqualTo("/problems/budget-exhausted");
        assertThat(problem.get("detail").asText())
                .isEqualTo("the daily budget of tenant rejecting ($0.01) is spent ($0.01 used, $0.00 reserved);"
                        + " it resets at " + midnight());
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 86_400L);
    }

    @Test
    void a_spent_queueing_budget_turns_the_request_into_a_job_that_runs_after_the_reset() throws Exception {
        // given
        assertThat(run(QUEUEING).statusCode()).isEqualTo(200);

        // when
        HttpResponse<String> queued = run(QUEUEING);

        // then
        assertThat(queued.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(queued.body());
        assertThat(body.get("run_at").asText()).isEqualTo(midnight().toString());
        assertThat(store.find("queueing", body.get("job_id").asText())).hasValueSatisfying(job -> {
            assertThat(job.pipeline()).isEqualTo("echo");
            assertThat(job.input().get("text").asText()).isEqualTo("hi");
        });
    }

    @Test
    void a_request_queued_by_its_budget_keeps_its_allocation_tags_in_the_job() throws Exception {
        // given
        assertThat(run(QUEUEING).statusCode()).isEqualTo(200);

        // when
        HttpResponse<String> queued = run(QUEUEING, "X-Pipewright-Tags", "team=search,feature=autocomplete");

        // then
        assertThat(queued.statusCode()).isEqualTo(202);
        String id = JSON.readTree(queued.body()).get("job_id").asText();
        assertThat(store.find("queueing", id).orElseThrow().tags())
                .isEqualTo(Map.of("team", "search", "feature", "autocomplete"));
    }

    @Test
    void a_request_queued_by_its_budget_runs_later_on_the_variant_its_caller_was_assigned() throws Exception {
        // given: the caller is served the candidate, which takes all of the traffic
        HttpResponse<String> served = run(QUEUEING);
        assertThat(served.headers().firstValue("x-pipewright-variant")).contains("terse");

        // when
        HttpResponse<String> queued = run(QUEUEING);

        // then
        assertThat(queued.statusCode()).isEqualTo(202);
        String id = JSON.readTree(queued.body()).get("job_id").asText();
        assertThat(store.find("queueing", id).orElseThrow().variant()).isEqualTo("terse");
    }

    @Test
    void budgets_show_limit_use_reservations_ratio_reset_and_action() throws Exception {
        // given
        run(QUEUEING);

        // when
        JsonNode budgets = JSON.readTree(get("/v1/budgets", QUEUEING).body());

        // then
        assertThat(budgets.get("budgets")).singleElement().satisfies(budget -> {
            assertThat(budget.get("scope").asText()).isEqualTo("tenant");
            assertThat(budget.get("tenant").asText()).isEqualTo("queueing");
            assertThat(budget.get("period").asText()).isEqualTo("daily");
            assertThat(budget.get("limit_usd").decimalValue()).isEqualByComparingTo("0.01");
            assertThat(budget.get("used_usd").decimalValue()).isEqualByComparingTo("0.01");
            assertThat(budget.get("reserved_usd").decimalValue()).isZero();
            assertThat(budget.get("ratio").asDouble()).isEqualTo(1.0);
            assertThat(budget.get("resets_at").asText()).isEqualTo(midnight().toString());
            assertThat(budget.get("action").asText()).isEqualTo("queue");
        });
        assertThat(JSON.readTree(get("/v1/budgets", "master").body()).get("budgets"))
                .hasSize(2);
    }

    private HttpResponse<String> run(String key, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/pipelines/echo"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"hi\"}}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
