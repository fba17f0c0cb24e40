package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.KeyVerifier;
import dev.pipewright.gateway.ratelimit.InMemoryRateLimiter;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationsRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MASTER = "operations-master-key";
    private static final String TENANT_KEY = "acme-tenant-key";

    private final Drain drain = new Drain();
    private final List<String> reloadsBy = new ArrayList<>();
    private ConfigAdmin.ReloadOutcome nextOutcome;
    private GatewayServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat}
                pipelines:
                  echo:
                    steps:
                      first: {model: chat, prompt: "One: {{input.text}}"}
                tenants:
                  acme: {api_keys: ["sha256:%s"]}
                """.formatted(sha256(TENANT_KEY)), "test.yaml");
        ConfigAdmin admin = new ConfigAdmin() {
            @Override
            public ReloadOutcome reload(String by) {
                reloadsBy.add(by);
                return nextOutcome;
            }

            @Override
            public JsonNode describe() {
                return JSON.createObjectNode().put("generation", 3);
            }
        };
        SchedulesApi schedules = new SchedulesApi() {
            @Override
            public JsonNode list() {
                return JSON.createObjectNode().set("schedules", JSON.createArrayNode());
            }

            @Override
            public Optional<JsonNode> run(String name, String by) {
                return name.equals("nightly")
                        ? Optional.of(
                                JSON.createObjectNode().put("schedule", name).put("by", by))
                        : Optional.empty();
            }
        };
        AccessFilter access = new AccessFilter(
                new KeyVerifier(() -> config, Optional.of(MASTER), Optional.empty()),
                new InMemoryRateLimiter(Clock.system()),
                () -> config);
        ModelCall call = new ModelCall(List.of(), model -> null, config::model, Clock.system());
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, new PipelineExecutor(call, config::model, Clock.system()))
                        .withAccess(access)
                        .withOperations(
                                new Operations(drain, RequestScope.NONE, Optional.of(admin), Optional.of(schedules))));
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void a_draining_server_refuses_new_requests_with_503_retry_after_and_connection_close() throws Exception {
        // given
        drain.start();

        // when
        HttpResponse<String> refused = send("POST", "/v1/pipelines/echo", MASTER, "{\"text\": \"hi\"}");
        HttpResponse<String> compatible =
                send("POST", "/v1/chat/completions", MASTER, "{\"model\": \"chat\", \"messages\": []}");

        // then
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains(OperationsFilter.RETRY_AFTER_SECONDS);
        assertThat(refused.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
        assertThat(JSON.readTree(refused.body()).path("type").asText()).isEqualTo("/problems/unavailable");
        assertThat(compatible.statusCode()).isEqualTo(503);
    }

    @Test
    void readiness_turns_503_draining_while_liveness_stays_up() throws Exception {
        // given
        HttpResponse<String> before = send("GET", "/health/ready", null, null);

        // when
        drain.start();

        // then
        HttpResponse<String> ready = send("GET", "/health/ready", null, null);
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("draining");
        assertThat(send("GET", "/health/live", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_reload_the_file_refuses_answers_422_with_every_problem() throws Exception {
        // given
        nextOutcome = new ConfigAdmin.ReloadOutcome.Rejected(
                List.of("models.chat.timeout: not a duration", "pipelines.echo: unknown model"));

        // when
        HttpResponse<String> response = send("POST", "/admin/reload", MASTER, "");

        // then
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("problems").toString())
                .contains("models.chat.timeout: not a duration", "pipelines.echo: unknown model");
        assertThat(reloadsBy).containsExactly("master");
    }

    @Test
    void an_applied_reload_answers_its_summary() throws Exception {
        // given
        nextOutcome =
                new ConfigAdmin.ReloadOutcome.Applied(JSON.createObjectNode().put("generation", 2));

        // when
        HttpResponse<String> response = send("POST", "/admin/reload", MASTER, "");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("generation").asInt()).isEqualTo(2);
    }

    @Test
    void only_the_master_key_may_reload_see_the_config_or_run_a_schedule() throws Exception {
        // when
        HttpResponse<String> reload = send("POST", "/admin/reload", TENANT_KEY, "");
        HttpResponse<String> config = send("GET", "/admin/config", TENANT_KEY, null);
        HttpResponse<String> run = send("POST", "/v1/schedules/nightly/run", TENANT_KEY, "");
        HttpResponse<String> list = send("GET", "/v1/schedules", TENANT_KEY, null);

        // then
        assertThat(reload.statusCode()).isEqualTo(403);
        assertThat(config.statusCode()).isEqualTo(403);
        assertThat(run.statusCode()).isEqualTo(403);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(reloadsBy).isEmpty();
    }

    @Test
    void a_manual_schedule_run_answers_202_and_an_unknown_schedule_404() throws Exception {
        // when
        HttpResponse<String> run = send("POST", "/v1/schedules/nightly/run", MASTER, "");
        HttpResponse<String> unknown = send("POST", "/v1/schedules/weekly/run", MASTER, "");

        // then
        assertThat(run.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(run.body()).path("by").asText()).isEqualTo("master");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
