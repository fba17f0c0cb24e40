package dev.pipewright.gateway;

import dev.pipewright.cache.CaffeineResponseCache;
import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ProviderConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.provider.anthropic.AnthropicModelClient;
import dev.pipewright.provider.openai.OpenAiModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.provider.simulated.SimulatorServer;
import dev.pipewright.resilience.CircuitBreakerInterceptor;
import dev.pipewright.resilience.ResilienceChain;
import dev.pipewright.resilience.TimeoutInterceptor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A gateway on port 0 whose models are served over HTTP by the simulator, through the real provider adapters:
 * {@code gpt} through the OpenAI adapter, {@code claude} through the Anthropic one. A request in one wire format to
 * the model of the other is thus translated both ways. Its compatible routes cache answers in memory.
 */
final class ToolGateway implements AutoCloseable {
    static final String KEY = "test-key";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final SimulatorServer simulator;
    private final ScheduledExecutorService watchdog = TimeoutInterceptor.newWatchdog();
    private final GatewayServer server;

    ToolGateway() {
        Clock clock = Clock.system();
        simulator = SimulatorServer.start(
                "127.0.0.1",
                0,
                SimulationProfiles.fromNames(),
                clock,
                () -> ThreadLocalRandom.current().nextLong());
        String sim = "http://127.0.0.1:" + simulator.port();
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  openai: {kind: openai, base_url: "%s/v1", api_key_env: SIM_KEY}
                  anthropic: {kind: anthropic, base_url: "%s", api_key_env: SIM_KEY}
                models:
                  gpt: {provider: openai, model: sim-gpt+latency=1ms}
                  claude: {provider: anthropic, model: sim-claude+latency=1ms}
                """.formatted(sim, sim), "tools.yaml");
        Map<String, ModelClient> clients = new HashMap<>();
        for (ProviderConfig provider : config.providers().values()) {
            clients.put(
                    provider.name(),
                    switch (provider.kind()) {
                        case ANTHROPIC -> new AnthropicModelClient(provider, name -> Optional.of("sk-sim"), clock);
                        default -> new OpenAiModelClient(provider, name -> Optional.of("sk-sim"), clock);
                    });
        }
        ModelCall call = new ModelCall(
                ResilienceChain.standard(
                        config::model,
                        clock,
                        () -> ThreadLocalRandom.current().nextLong(),
                        watchdog,
                        new CircuitBreakerInterceptor(clock)),
                model -> clients.get(model.provider()),
                config::model,
                clock);
        PipelineExecutor executor = new PipelineExecutor(call, config::model, clock);
        RoutingFeatures basic = RoutingFeatures.basic(() -> config, executor);
        ResponseCaching caching =
                new ResponseCaching(new CaffeineResponseCache(Duration.ofMinutes(5), 100, clock), false);
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor)
                        .withAccess(TestAccess.masterKeyOnly(config, KEY, clock))
                        .withModelCall(call)
                        .withRouting(new RoutingFeatures(
                                basic.pipelineRouter(), basic.readiness(), caching, basic.modelRouter())));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        simulator.close();
        watchdog.shutdownNow();
    }
}
