package dev.pipewright.gateway;

import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.StreamListener;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.resilience.CircuitBreakerInterceptor;
import dev.pipewright.resilience.ResilienceChain;
import dev.pipewright.resilience.TimeoutInterceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A gateway on port 0 whose model calls go through the standard resilience chain to the in-process simulator, with
 * tiny latencies. Aliases: {@code chat} (healthy), {@code flaky-chat} (always a server error, falls back to
 * {@code chat}), {@code cut-chat} (its streams break after half the answer; falls back to {@code chat}, which must
 * not be used once a piece went out), {@code broken-chat} (always a server error, no fallback), {@code limited-chat} (always rate limited, retry
 * after 7 s),
 * {@code long-chat} (context length exceeded), {@code embedder} (8-dimensional vectors) and {@code endless-chat}
 * (streams until its caller abandons it, and reports what ended it).
 */
final class CompatibleGateway implements AutoCloseable {
    /** The master key the tests send; every compatible route sits behind the access filter. */
    static final String KEY = "test-key";

    static final String CONFIG = """
            providers:
              sim: {kind: simulated}
              endless: {kind: simulated}
            models:
              chat:
                provider: sim
                model: sim-chat-2025-01-01
                simulation: {latency: 1ms, jitter: 0ms, output_tokens: 12}
              flaky-chat:
                provider: sim
                model: sim-flaky-2025-01-01
                retry: {attempts: 1}
                fallbacks: [chat]
                simulation: {latency: 1ms, jitter: 0ms, fault: server-error, fault_rate: 1}
              cut-chat:
                provider: sim
                model: sim-cut-2025-01-01
                retry: {attempts: 1}
                fallbacks: [chat]
                simulation: {latency: 1ms, jitter: 0ms, fault: stream-cut, fault_rate: 1, output_tokens: 12}
              broken-chat:
                provider: sim
                model: sim-broken-2025-01-01
                retry: {attempts: 1}
                simulation: {latency: 1ms, jitter: 0ms, fault: server-error, fault_rate: 1}
              limited-chat:
                provider: sim
                model: sim-limited-2025-01-01
                retry: {attempts: 1}
                simulation: {latency: 1ms, jitter: 0ms, fault: rate-limit, fault_rate: 1, retry_after: 7s}
              long-chat:
                provider: sim
                model: sim-long-2025-01-01
                simulation: {latency: 1ms, jitter: 0ms, fault: context-length, fault_rate: 1}
              embedder:
                provider: sim
                model: sim-embedder-2025-01-01
                type: embedding
                simulation: {latency: 1ms, jitter: 0ms, dimensions: 8}
              endless-chat:
                provider: endless
                model: endless-2025-01-01
                timeout: 60s
              wordy-chat:
                provider: sim
                model: sim-wordy-2025-01-01
                simulation: {latency: 1ms, jitter: 0ms, output_tokens: 150}
            tenants:
              acme: {api_keys: ["%s"], tpm: 200}
            model_groups:
              pool:
                strategy: weighted
                members: [{model: broken-chat, weight: 1000000}, {model: chat, weight: 1}]
            """;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The key of tenant {@code acme}, whose token limit the model calls' real usage must count against. */
    static final String TENANT_KEY = "pw_acme-test-key";

    final PipewrightConfig config = ConfigLoader.parse(CONFIG.formatted(ApiKeys.hash(TENANT_KEY)), "compat-test.yaml");
    final EndlessStream endless = new EndlessStream();
    private final ScheduledExecutorService watchdog = TimeoutInterceptor.newWatchdog();
    private final GatewayServer server;

    CompatibleGateway() {
        this(ResponseCaching.off());
    }

    /** A gateway whose compatible routes cache with {@code caching}. */
    CompatibleGateway(ResponseCaching caching) {
        Clock clock = Clock.system();
        RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
        Map<String, dev.pipewright.config.SimulationConfig> profiles = new LinkedHashMap<>();
        for (ModelConfig model : config.models().values()) {
            profiles.put(model.model(), model.simulation());
        }
        SimulatedModelClient simulated = new SimulatedModelClient(SimulationProfiles.of(profiles), clock, random);
        ModelCall call = new ModelCall(
                ResilienceChain.standard(config::model, clock, random, watchdog, new CircuitBreakerInterceptor(clock)),
                model -> model.provider().equals("endless") ? endless : simulated,
                config::model,
                clock);
        AccessFilter access = TestAccess.masterKeyOnly(config, KEY, clock);
        PipelineExecutor executor = new PipelineExecutor(call, config::model, clock);
        RoutingFeatures basic = RoutingFeatures.basic(() -> config, executor);
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor)
                        .withAccess(access)
                        .withModelCall(call)
                        .withRouting(new RoutingFeatures(
                                basic.pipelineRouter(), basic.readiness(), caching, basic.modelRouter())));
    }

    int port() {
        return server.port();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> postAs(String key, String path, String body) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /**
     * Posts a body the server will refuse before reading it: the client waits for {@code 100 Continue} before it
     * sends the body, and uses a connection of its own, since the server closes the connection after refusing.
     */
    HttpResponse<String> postExpectingRefusal(String path, byte[] body) throws IOException, InterruptedException {
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + path))
                            .header("Authorization", "Bearer test-key")
                            .header("Content-Type", "application/json")
                            .expectContinue(true)
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
    }

    /** Sends with the key a client would send, so these tests keep working once auth is on. */
    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(
                request.header("Authorization", "Bearer test-key")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        watchdog.shutdownNow();
    }

    /** Streams a piece every few milliseconds until the caller abandons it, and reports what ended it. */
    static final class EndlessStream implements ModelClient {
        final CompletableFuture<Throwable> endedBy = new CompletableFuture<>();

        @Override
        public ModelResponse.Chat stream(ModelRequest.Chat request, CallOptions options, StreamListener listener) {
            try {
                for (int piece = 0; piece < 10_000; piece++) {
                    listener.onText("piece" + piece + " ");
                    Clock.system().sleep(Duration.ofMillis(5));
                }
            } catch (InterruptedException e) {
                endedBy.complete(e);
                throw new ModelException(new ModelError.Timeout("the endless stream was interrupted"), e);
            } catch (RuntimeException e) {
                endedBy.complete(e);
                throw e;
            }
            throw new ModelException(new ModelError.Timeout("the endless stream was never abandoned"));
        }

        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            throw new ModelException(new ModelError.InvalidRequest("the endless model only streams"));
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new ModelException(new ModelError.InvalidRequest("the endless model only streams"));
        }
    }
}
