package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.cache.CaffeineResponseCache;
import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.router.HealthRecordingInterceptor;
import dev.pipewright.router.ModelHealth;
import dev.pipewright.router.ModelRouter;
import dev.pipewright.router.PipelineRouter;
import dev.pipewright.router.Readiness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/route}, {@code GET /health/ready} and the response cache of {@code POST /v1/pipelines/{name}}. */
class RoutingGatewayTest {
    private static final String KEY = "test-key";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final PipewrightConfig CONFIG = ConfigLoader.parse("""
            providers:
              sim: {kind: simulated}
            models:
              classifier: {provider: sim, model: classifier-1}
              expert: {provider: sim, model: expert-1, fallbacks: [generalist]}
              generalist: {provider: sim, model: generalist-1}
            pipelines:
              triage:
                steps:
                  label: {model: classifier, prompt: "Label technical or other: {{input.text}}"}
              technical:
                steps:
                  answer: {model: expert, prompt: "Explain: {{input.text}}"}
              general:
                steps:
                  answer: {model: generalist, prompt: "Reply: {{input.text}}"}
            routes: {pipeline: triage, step: label, map: {technical: technical}, default: general}
            cache: {}
            """, "test.yaml");

    private static final Map<String, String> circuits = new ConcurrentHashMap<>();
    private static final AtomicInteger modelCalls = new AtomicInteger();
    private static GatewayServer server;

    /**
     * A simulated classifier that labels a text about compilers "Technical." (with the full stop models like to add),
     * and other models that echo their prompt.
     */
    private static final class SimulatedModels implements ModelClient {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            modelCalls.incrementAndGet();
            String prompt = request.messages().getLast().text();
            String text = options.model().equals("classifier-1")
                    ? (prompt.contains("compiler") ? "Technical." : "smalltalk")
                    : options.model() + ": " + prompt;
            return new ModelResponse.Chat(options.model(), text, "stop", new Usage(3, 2, 0));
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new UnsupportedOperationException("no embedding models here");
        }
    }

    @BeforeAll
    static void start() {
        ModelHealth health = new ModelHealth();
        SimulatedModels models = new SimulatedModels();
        ModelCall call = new ModelCall(
                List.of(new HealthRecordingInterceptor(health, Clock.system())),
                model -> models,
                CONFIG::model,
                Clock.system());
        PipelineExecutor executor = new PipelineExecutor(call, CONFIG::model, Clock.system());
        RoutingFeatures features = new RoutingFeatures(
                new PipelineRouter(() -> CONFIG, executor),
                new Readiness(() -> CONFIG, health, alias -> circuits.getOrDefault(alias, "closed")),
                new ResponseCaching(new CaffeineResponseCache(Duration.ofMinutes(10), 100, Clock.system()), false),
                new ModelRouter(() -> CONFIG, health, alias -> true, Clock.system(), new java.util.Random(1)));
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> CONFIG, executor)
                        .withAccess(masterKeyOnly(CONFIG))
                        .withRouting(features));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeCircuits() {
        circuits.clear();
    }

    /** The gateway's access filter, with only {@link #KEY} as the master key. */
    private static AccessFilter masterKeyOnly(PipewrightConfig config) {
        return TestAccess.masterKeyOnly(config, KEY, Clock.system());
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + KEY)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String input(String text) {
        return "{\"input\": {\"text\": \"" + text + "\"}}";
    }

    @Test
    void routes_to_the_pipeline_the_classifier_labels() throws Exception {
        // when
        HttpResponse<String> response = send("POST", "/v1/route", input("why does my compiler warn?"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("routed_to").asText()).isEqualTo("technical");
        assertThat(body.get("route_label").asText()).isEqualTo("Technical.");
        assertThat(body.get("pipeline").asText()).isEqualTo("technical");
        assertThat(body.get("results").get("answer").asText())
                .isEqualTo("expert-1: Explain: why does my compiler warn?");
        assertThat(body.get("request_id").asText())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void routes_a_label_not_in_the_map_to_the_default() throws Exception {
        // when
        HttpResponse<String> response = send("POST", "/v1/route", input("nice weather"));

        // then
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("routed_to").asText()).isEqualTo("general");
        assertThat(body.get("route_label").asText()).isEqualTo("smalltalk");
        assertThat(body.get("results").get("answer").asText()).isEqualTo("generalist-1: Reply: nice weather");
    }

    @Test
    void route_without_configured_routes_is_not_found() throws Exception {
        // given
        PipewrightConfig plain = ConfigLoader.parse("providers:\n  sim: {kind: simulated}\n", "plain.yaml");
        PipelineExecutor executor = new PipelineExecutor(
                new ModelCall(List.of(), model -> new SimulatedModels(), plain::model, Clock.system()),
                plain::model,
                Clock.system());
        try (GatewayServer bare = GatewayServer.start(
                "127.0.0.1", 0, GatewayParts.defaults(() -> plain, executor).withAccess(masterKeyOnly(plain)))) {
            // when
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bare.port() + "/v1/route"))
                            .header("Authorization", "Bearer " + KEY)
                            .POST(HttpRequest.BodyPublishers.ofString(input("x")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            // then
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("no routes are configured");
        }
    }

    @Test
    void a_repeated_request_is_answered_from_the_cache_without_calling_a_model() throws Exception {
        // given
        String body = input("cache me " + UUID.randomUUID());
        HttpResponse<String> first = send("POST", "/v1/pipelines/general", body);
        int callsAfterFirst = modelCalls.get();

        // when
        HttpResponse<String> second = send("POST", "/v1/pipelines/general", body);

        // then
        assertThat(first.headers().firstValue("x-pipewright-cache")).hasValue("miss");
        assertThat(second.headers().firstValue("x-pipewright-cache")).hasValue("hit");
        assertThat(modelCalls.get()).isEqualTo(callsAfterFirst);
        JsonNode answer = JSON.readTree(second.body());
        assertThat(answer.get("results")).isEqualTo(JSON.readTree(first.body()).get("results"));
        assertThat(answer.get("request_id").asText())
                .isEqualTo(second.headers().firstValue("X-Request-Id").orElseThrow())
                .isNotEqualTo(JSON.readTree(first.body()).get("request_id").asText());
    }

    @Test
    void no_cache_runs_the_pipeline_again() throws Exception {
        // given
        String body = input("fresh " + UUID.randomUUID());
        send("POST", "/v1/pipelines/general", body);
        int callsBefore = modelCalls.get();

        // when
        HttpResponse<String> response = send("POST", "/v1/pipelines/general", body, "Cache-Control", "no-cache");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-pipewright-cache")).hasValue("bypass");
        assertThat(modelCalls.get()).isEqualTo(callsBefore + 1);
    }

    @Test
    void is_ready_and_lists_every_model_when_all_are_available() throws Exception {
        // given: a call records the generalist's last success
        send("POST", "/v1/pipelines/general", input("warm " + UUID.randomUUID()));

        // when
        HttpResponse<String> response = send("GET", "/health/ready", null);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("ready");
        assertThat(body.get("models"))
                .extracting(model -> model.get("model").asText())
                .containsExactly("classifier", "expert", "generalist");
        JsonNode generalist = body.get("models").get(2);
        assertThat(generalist.get("available").asBoolean()).isTrue();
        assertThat(generalist.get("circuit").asText()).isEqualTo("closed");
        assertThat(generalist.get("last_success").isTextual()).isTrue();
    }

    @Test
    void is_unready_with_the_models_that_are_down_without_a_fallback() throws Exception {
        // given: the expert can fall back to the generalist, the classifier to nothing
        circuits.put("expert", "open");
        circuits.put("classifier", "open");

        // when
        HttpResponse<String> response = send("GET", "/health/ready", null);

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("unready");
        assertThat(body.get("unavailable").toString()).isEqualTo("[\"classifier\"]");
        assertThat(body.get("models").get(1).get("served_by").asText()).isEqualTo("generalist");
    }
}
