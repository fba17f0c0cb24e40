package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.KeyVerifier;
import dev.pipewright.gateway.ratelimit.InMemoryRateLimiter;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineExecutor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Past its limit of requests in flight the gateway answers 503 in the route's error shape, and recovers after. */
class InFlightLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MASTER = "in-flight-master-key";
    private static final String CHAT =
            "{\"model\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

    private static final String ECHO = "{\"input\": {\"text\": \"hi\"}}";

    private final Drain drain = new Drain(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private GatewayServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat}
                pipelines:
                  echo:
                    steps:
                      first: {model: chat, prompt: "One: {{input.text}}"}
                """, "test.yaml");
        AccessFilter access = new AccessFilter(
                new KeyVerifier(() -> config, Optional.of(MASTER), Optional.empty()),
                new InMemoryRateLimiter(Clock.system()),
                () -> config);
        ModelClient answers = new ModelClient() {
            @Override
            public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
                return new ModelResponse.Chat(options.model(), "answer", "stop", new Usage(3, 2, 0));
            }

            @Override
            public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
                throw new UnsupportedOperationException("no embeddings here");
            }
        };
        ModelCall call = new ModelCall(List.of(), model -> answers, config::model, Clock.system());
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, new PipelineExecutor(call, config::model, Clock.system()))
                        .withAccess(access)
                        .withOperations(new Operations(drain, RequestScope.NONE, Optional.empty(), Optional.empty())));
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        server.close();
    }

    /** Takes the only slot for as long as the test holds {@link #release}, as a slow stream would. */
    private void occupyTheOnlySlot() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            assertThat(drain.enter()).isEqualTo(Drain.Admission.ADMITTED);
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                drain.exit();
            }
        });
        entered.await();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + MASTER)
                .header("Content-Type", "application/json");
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_request_over_the_limit_is_refused_with_503_and_retry_after_in_the_routes_shape() throws Exception {
        // given
        occupyTheOnlySlot();

        // when
        HttpResponse<String> refused = send("POST", "/v1/chat/completions", CHAT);

        // then
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains(OperationsFilter.RETRY_AFTER_SECONDS);
        assertThat(refused.headers().firstValue("Connection")).isNotEqualTo(Optional.of("close"));
        assertThat(JSON.readTree(refused.body()).path("error").path("message").asText())
                .contains("as many requests as it admits at once (1, server.max_in_flight)");
        assertThat(send("GET", "/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void once_a_request_in_flight_ends_the_next_is_admitted() throws Exception {
        // given
        occupyTheOnlySlot();
        assertThat(send("POST", "/v1/pipelines/echo", ECHO).statusCode()).isEqualTo(503);

        // when
        release.countDown();

        // then
        await().until(() -> drain.inFlight() == 0);
        HttpResponse<String> answered = send("POST", "/v1/pipelines/echo", ECHO);
        assertThat(answered.statusCode()).isEqualTo(200);
        // The slot is given back once the handler returns, which may be just after the client read the answer.
        await().until(() -> drain.inFlight() == 0);
    }
}
