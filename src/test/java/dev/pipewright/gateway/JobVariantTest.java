package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.jobs.WorkerSettings;
import dev.pipewright.jobs.webhook.HostResolver;
import dev.pipewright.jobs.webhook.WebhookDeliveries;
import dev.pipewright.jobs.webhook.WebhookSecrets;
import dev.pipewright.jobs.webhook.WebhookTargets;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.release.Releases;
import dev.pipewright.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Async jobs of a deployed pipeline on a real server, SQLite store, releases and worker: the variant is chosen when the
 * job is submitted, by the caller's sticky key, and the worker runs that variant.
 */
class JobVariantTest {
    private static final String KEY = "test-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path folder;

    private Database database;
    private Releases releases;
    private GatewayServer server;
    private WorkerPool workers;

    @BeforeEach
    void start() {
        PipewrightConfig config = ConfigLoader.parse("""
                providers: {sim: {kind: simulated}}
                models:
                  old: {provider: sim, model: sim-old-2025-01-01, simulation: {latency: 1ms}}
                  new: {provider: sim, model: sim-new-2025-01-01, simulation: {latency: 1ms}}
                pipelines:
                  echo:
                    steps:
                      reply: {model: old, prompt: "Answer: {{input.text}}"}
                deployments:
                  echo:
                    sticky: header:x-user-id
                    candidates:
                      next:
                        pipeline:
                          steps:
                            reply: {model: new, prompt: "Answer: {{input.text}}"}
                        weight: 50
                """, "test.yaml");
        database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("pipewright.db")));
        JobStore store = JobStores.open(database, Clock.system());
        Map<String, SimulationConfig> profiles = new LinkedHashMap<>();
        config.models().values().forEach(model -> profiles.put(model.model(), model.simulation()));
        SimulatedModelClient client =
                new SimulatedModelClient(SimulationProfiles.of(profiles), Clock.system(), new SplittableRandom(3));
        PipelineExecutor executor = new PipelineExecutor(
                new ModelCall(List.of(), (ModelConfig model) -> client, config::model, Clock.system()),
                config::model,
                Clock.system());
        releases = new Releases(
                ReleaseStore.open(database),
                () -> config,
                executor,
                new SimpleMeterRegistry(),
                Clock.system(),
                new SplittableRandom(5));
        JobsApi jobs = new JobsApi(
                store,
                new WebhookTargets(config.webhooks().allow(), HostResolver.system()),
                new WebhookSecrets(() -> config, name -> null),
                new WebhookDeliveries(database, Clock.system()));
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor)
                        .withAccess(TestAccess.masterKeyOnly(config, KEY, Clock.system()))
                        .withJobs(jobs)
                        .withRelease(new ReleaseParts(releases, Optional.of(releases.control()))));
        workers = WorkerPool.start(
                1,
                store,
                executor,
                () -> config,
                Clock.system(),
                new SplittableRandom(7),
                WorkerSettings.defaults("w")
                        .withTiming(Duration.ofMillis(50), Duration.ofSeconds(3), Duration.ofMillis(500)));
    }

    @AfterEach
    void stop() {
        workers.close();
        server.close();
        releases.close();
        database.close();
    }

    @Test
    void a_job_runs_the_variant_its_caller_is_served_synchronously_chosen_at_submit() throws Exception {
        // given the variant each of 20 users is served on the synchronous route
        Map<String, String> served = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String user = "user-" + i;
            HttpResponse<String> run = send("/v1/pipelines/echo", "{\"input\": {\"text\": \"hi\"}}", user);
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            served.put(user, run.headers().firstValue("x-pipewright-variant").orElseThrow());
        }
        assertThat(served.values()).as("a 50% split over 20 users").contains("stable", "next");

        // when each submits a job
        Map<String, String> jobs = new HashMap<>();
        for (String user : served.keySet()) {
            HttpResponse<String> submitted =
                    send("/v1/jobs", "{\"pipeline\": \"echo\", \"input\": {\"text\": \"hi\"}}", user);
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            jobs.put(user, JSON.readTree(submitted.body()).get("job_id").asText());
        }

        // then every job ran on the variant its user is served, and says so
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            JsonNode view = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> JSON.readTree(
                                    get("/v1/jobs/" + job.getValue()).body()),
                            node -> node.get("status").asText().equals("succeeded"));
            String variant = served.get(job.getKey());
            assertThat(view.get("variant").asText()).isEqualTo(variant);
            assertThat(view.path("result").path("variant").asText()).isEqualTo(variant);
            assertThat(view.path("result")
                            .path("steps")
                            .path("reply")
                            .path("model")
                            .asText())
                    .isEqualTo(variant.equals("next") ? "new" : "old");
        }
    }

    private HttpResponse<String> send(String path, String body, String user) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Authorization", "Bearer " + KEY)
                        .header("x-user-id", user)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Authorization", "Bearer " + KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
