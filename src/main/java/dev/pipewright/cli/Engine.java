package dev.pipewright.cli;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ProviderConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.provider.local.LocalModelClient;
import dev.pipewright.provider.local.LocalModelSettings;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.resilience.CircuitBreakerInterceptor;
import dev.pipewright.resilience.ResilienceChain;
import dev.pipewright.resilience.TimeoutInterceptor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The composition root: builds one client per provider, the {@link ModelCall} chain in its one documented order,
 * and the pipeline executor, all from one validated configuration.
 */
final class Engine implements AutoCloseable {
    private final PipewrightConfig config;
    private final ScheduledExecutorService watchdog;
    private final ModelCall modelCall;
    private final PipelineExecutor executor;

    private Engine(PipewrightConfig config, Clock clock) {
        this.config = config;
        this.watchdog = TimeoutInterceptor.newWatchdog();
        // Shared by every thread: each draw uses the calling thread's own generator.
        RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
        Map<String, ModelClient> clients = clients(config, clock, random);
        this.modelCall = new ModelCall(
                ResilienceChain.standard(config::model, clock, random, watchdog, new CircuitBreakerInterceptor(clock)),
                model -> clients.get(model.provider()),
                config::model,
                clock);
        this.executor = new PipelineExecutor(modelCall, config::model, clock);
    }

    static Engine start(PipewrightConfig config) {
        return new Engine(config, Clock.system());
    }

    PipewrightConfig config() {
        return config;
    }

    ModelCall modelCall() {
        return modelCall;
    }

    PipelineExecutor executor() {
        return executor;
    }

    private static Map<String, ModelClient> clients(PipewrightConfig config, Clock clock, RandomGenerator random) {
        Map<String, ModelClient> clients = new HashMap<>();
        for (ProviderConfig provider : config.providers().values()) {
            clients.put(provider.name(), client(config, provider, clock, random));
        }
        return clients;
    }

    private static ModelClient client(
            PipewrightConfig config, ProviderConfig provider, Clock clock, RandomGenerator random) {
        return switch (provider.kind()) {
            case SIMULATED ->
                new SimulatedModelClient(simulationProfiles(config, java.util.Set.of(provider.name())), clock, random);
            case LOCAL -> new LocalModelClient(LocalModelSettings.defaults());
            case OPENAI, ANTHROPIC ->
                throw new IllegalStateException("provider '" + provider.name()
                        + "' is of kind " + provider.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + ", which this build cannot call yet; use a provider of kind simulated");
        };
    }

    /** The behaviour of the models of {@code providers}, keyed by the provider model name a client is asked for. */
    static SimulationProfiles simulationProfiles(PipewrightConfig config, java.util.Set<String> providers) {
        Map<String, dev.pipewright.config.SimulationConfig> byName = new LinkedHashMap<>();
        for (ModelConfig model : config.models().values()) {
            if (providers.contains(model.provider())) {
                byName.put(model.model(), model.simulation());
            }
        }
        return SimulationProfiles.of(byName);
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
