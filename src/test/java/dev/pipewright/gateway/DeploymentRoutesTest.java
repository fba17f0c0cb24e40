package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.gateway.auth.KeyVerifier;
import dev.pipewright.gateway.ratelimit.InMemoryRateLimiter;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.release.EvalRecord;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.release.Releases;
import dev.pipewright.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployed pipelines and the deployments API on a real server over a SQLite store and the simulator. */
class DeploymentRoutesTest {
    private static final String MASTER = "master-key";
    private static final String TENANT_KEY = "pw_tenant_key_for_tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path folder;

    private Database database;
    private Releases releases;
    private GatewayServer server;
    private PipewrightConfig config;

    @BeforeEach
    void start() {
        config = ConfigLoader.parse("""
                providers: {sim: {kind: simulated}}
                models:
                  chat: {provider: sim, model: sim-chat-2025-01-01, simulation: {latency: 1ms}}
                pipelines:
                  answer:
                    steps:
                      reply: {model: chat, prompt: "Answer: {{input.text}}"}
                tenants:
                  acme: {api_keys: ["%s"]}
                deployments:
                  answer:
                    sticky: header:x-user-id
                    candidates:
                      b:
                        pipeline: {steps: {reply: {model: chat, prompt: "Reply: {{input.text}}"}}}
                        weight: 50
                    eval: {exact_match: 0.8}
                """.formatted(ApiKeys.hash(TENANT_KEY)), "test.yaml");
        Map<String, SimulationConfig> profiles = new LinkedHashMap<>();
        config.models().values().forEach(model -> profiles.put(model.model(), model.simulation()));
        SimulatedModelClient client =
                new SimulatedModelClient(SimulationProfiles.of(profiles), Clock.system(), new SplittableRandom(1));
        ModelCall call = new ModelCall(List.of(), model -> client, config::model, Clock.system());
        PipelineExecutor executor = new PipelineExecutor(call, config::model, Clock.system());
        database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("release.db")));
        releases = new Releases(
                ReleaseStore.open(database),
                () -> config,
                executor,
                new SimpleMeterRegistry(),
                Clock.system(),
                new SplittableRandom(2));
        AccessFilter access = new AccessFilter(
                new KeyVerifier(() -> config, Optional.of(MASTER), Optional.empty()),
                new InMemoryRateLimiter(Clock.system()),
                () -> config);
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor)
                        .withAccess(access)
                        .withRelease(new ReleaseParts(releases, Optional.of(releases.control()))));
    }

    @AfterEach
    void stop() {
        server.close();
        releases.close();
        database.close();
    }

    @Test
    void one_user_always_sees_one_variant_and_the_result_names_it() throws Exception {
        // given
        Set<String> seen = new HashSet<>();

        // when
        for (int user = 0; user < 40; user++) {
            String first = variantOf(run("user-" + user));
            for (int again = 0; again < 3; again++) {
                assertThat(variantOf(run("user-" + user))).isEqualTo(first);
            }
            seen.add(first);
        }

        // then both variants served someone, and the result carries the variant's own version
        assertThat(seen).containsExactlyInAnyOrder("stable", "b");
        HttpResponse<String> response = run("user-1");
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.headers().firstValue("x-pipewright-variant"))
                .contains(body.get("variant").asText());
        String expected = body.get("variant").asText().equals("b")
                ? PipelineVersion.of(
                        config.deployments().get("answer").candidates().get("b").pipeline(), config::model)
                : PipelineVersion.of(config.pipelines().get("answer"), config::model);
        assertThat(body.get("version").asText()).isEqualTo(expected);
    }

    @Test
    void the_deployment_shows_its_variants_weights_and_history() throws Exception {
        // when
        JsonNode list =
                JSON.readTree(send("GET", "/v1/deployments", null, MASTER).body());
        JsonNode deployment = JSON.readTree(
                send("GET", "/v1/deployments/answer", null, MASTER).body());

        // then
        assertThat(list.get("deployments")).hasSize(1);
        assertThat(list.get("deployments").get(0).get("name").asText()).isEqualTo("answer");
        assertThat(deployment.get("state").asText()).isEqualTo("stable");
        assertThat(deployment.get("stable").get("weight").asDouble()).isEqualTo(50);
        assertThat(deployment.get("candidates").get(0).get("name").asText()).isEqualTo("b");
        assertThat(deployment.get("candidates").get(0).get("status").asText()).isEqualTo("fixed");
        assertThat(deployment.get("history").get(0).get("action").asText()).isEqualTo("deploy");
        assertThat(send("GET", "/v1/deployments/nope", null, MASTER).statusCode())
                .isEqualTo(404);
    }

    @Test
    void a_rollback_by_the_master_key_sends_everyone_to_stable_and_is_recorded() throws Exception {
        // when
        HttpResponse<String> response =
                send("POST", "/v1/deployments/answer/rollback", "{\"reason\": \"bad answers\"}", MASTER);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode deployment = JSON.readTree(response.body());
        assertThat(deployment.get("candidates").get(0).get("status").asText()).isEqualTo("rolled_back");
        JsonNode last = deployment.get("history").get(deployment.get("history").size() - 1);
        assertThat(last.get("action").asText()).isEqualTo("rollback");
        assertThat(last.get("by").asText()).isEqualTo("master");
        assertThat(last.get("reason").asText()).isEqualTo("bad answers");
        for (int user = 0; user < 20; user++) {
            assertThat(variantOf(run("user-" + user))).isEqualTo("stable");
        }
    }

    @Test
    void only_the_master_key_may_change_a_deployment() throws Exception {
        // when
        HttpResponse<String> response = send("POST", "/v1/deployments/answer/rollback", null, TENANT_KEY);

        // then
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("master key");
    }

    @Test
    void promotion_waits_for_a_passing_evaluation_of_the_candidate_version() throws Exception {
        // given no evaluation yet
        HttpResponse<String> refused = send("POST", "/v1/deployments/answer/promote", null, MASTER);
        String version = PipelineVersion.of(
                config.deployments().get("answer").candidates().get("b").pipeline(), config::model);

        // when a failing, then a passing evaluation is stored
        releases.store()
                .eval(new EvalRecord(
                        "answer",
                        "b",
                        version,
                        Clock.system().instant(),
                        "d.jsonl",
                        10,
                        false,
                        "{\"exact_match\": 0.5}"));
        HttpResponse<String> stillRefused = send("POST", "/v1/deployments/answer/promote", null, MASTER);
        releases.store()
                .eval(new EvalRecord(
                        "answer",
                        "b",
                        version,
                        Clock.system().instant(),
                        "d.jsonl",
                        10,
                        true,
                        "{\"exact_match\": 0.9}"));
        HttpResponse<String> promoted = send("POST", "/v1/deployments/answer/promote", null, MASTER);

        // then
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("has no evaluation");
        assertThat(stillRefused.statusCode()).isEqualTo(409);
        assertThat(stillRefused.body()).contains("did not pass");
        assertThat(promoted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(promoted.body()).get("state").asText()).isEqualTo("promoted");
        for (int user = 0; user < 20; user++) {
            assertThat(variantOf(run("user-" + user))).isEqualTo("b");
        }
    }

    @Test
    void an_unknown_action_or_field_is_a_client_error() throws Exception {
        assertThat(send("POST", "/v1/deployments/answer/explode", null, MASTER).statusCode())
                .isEqualTo(404);
        assertThat(send("POST", "/v1/deployments/answer/pause", "{\"why\": 1}", MASTER)
                        .statusCode())
                .isEqualTo(400);
        // a fixed-weight candidate has no canary to pause
        assertThat(send("POST", "/v1/deployments/answer/pause", null, MASTER).statusCode())
                .isEqualTo(409);
    }

    private HttpResponse<String> run(String user) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/pipelines/answer"))
                .header("Authorization", "Bearer " + MASTER)
                .header("x-user-id", user)
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"hello\"}}"))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static String variantOf(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("variant").asText();
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
