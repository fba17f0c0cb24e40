package dev.pipewright.cli;

import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.LocalModelsConfig;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.gateway.RequestScope;
import dev.pipewright.gateway.RoutingFeatures;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.provider.anthropic.AnthropicModelClient;
import dev.pipewright.provider.local.ClassifierSettings;
import dev.pipewright.provider.local.LocalEmbedder;
import dev.pipewright.provider.local.LocalModelClient;
import dev.pipewright.provider.local.LocalModelSettings;
import dev.pipewright.provider.openai.OpenAiModelClient;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.resilience.CircuitBreakerInterceptor;
import dev.pipewright.resilience.CircuitState;
import dev.pipewright.resilience.DeadlineInterceptor;
import dev.pipewright.resilience.FallbackInterceptor;
import dev.pipewright.resilience.RetryInterceptor;
import dev.pipewright.resilience.TimeoutInterceptor;
import dev.pipewright.router.HealthRecordingInterceptor;
import dev.pipewright.router.ModelHealth;
import dev.pipewright.router.ModelRouter;
import dev.pipewright.router.PipelineRouter;
import dev.pipewright.router.Readiness;
import dev.pipewright.router.Route;
import dev.pipewright.telemetry.Telemetry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The composition root: builds one client per provider, the {@link ModelCall} chain in its one documented order,
 * and the pipeline executor, all from one validated configuration.
 */
final class Engine implements AutoCloseable {
    /**
     * The generation a request started on, so that everything it looks up while it runs (its models, their clients,
     * the fallbacks) comes from one configuration even when a reload swaps the current one meanwhile. Inherited by
     * the threads the request starts (a pipeline's parallel steps).
     */
    private static final InheritableThreadLocal<Generation> PINNED = new InheritableThreadLocal<>();

    private final AtomicReference<Generation> current;
    private final ClientReferences references;
    private final Clock clock;
    private final RandomGenerator random;
    private final ScheduledExecutorService watchdog;
    private final ModelCall modelCall;
    private final PipelineExecutor executor;
    private final CircuitBreakerInterceptor breakers;
    private final ModelHealth health = new ModelHealth();
    private final ModelRouter modelRouter;
    private final Telemetry telemetry;

    private Engine(PipewrightConfig config, Clock clock, CostBackend costs) {
        this.clock = clock;
        this.watchdog = TimeoutInterceptor.newWatchdog();
        // Shared by every thread: each draw uses the calling thread's own generator.
        this.random = () -> ThreadLocalRandom.current().nextLong();
        this.current = new AtomicReference<>(Generation.first(config, clock, random));
        this.references = new ClientReferences(current.get());
        this.telemetry = Telemetry.from(config.telemetry(), System.getenv(), clock);
        this.breakers = new CircuitBreakerInterceptor(clock);
        telemetry.observeModels(
                config.models().values(), alias -> breakers.state(alias).name());
        this.modelCall = new ModelCall(
                modelChain(
                        this::model,
                        clock,
                        random,
                        watchdog,
                        breakers,
                        health,
                        telemetry,
                        costs.link(this::config, telemetry, this::degradeTarget)),
                model -> generation().client(model.provider()),
                this::model,
                clock);
        this.executor = new PipelineExecutor(modelCall, this::model, clock, telemetry.pipelineObserver());
        this.modelRouter = new ModelRouter(
                this::config, health, alias -> breakers.state(alias) != CircuitState.OPEN, clock, random);
    }

    /**
     * The one order of the {@link ModelCall} chain, outermost first:
     *
     * <ol>
     *   <li>deadline: no attempt once the call's deadline has passed;
     *   <li>call metrics, then call log: one logical call as the caller sees it (duration, tokens, failures, the
     *       request's model time; one log line), so inside the deadline check and outside every retry and fallback;
     *   <li>cost: per logical call, once the answering model and its usage are known; budgets reserve before it;
     *   <li>fallback chain: the next alias when one fails;
     *   <li>health: one call per model, retries included, for readiness and the model groups;
     *   <li>per model: circuit breaker ⊃ retry ⊃ timeout;
     *   <li>attempt span, then attempt metrics: one provider attempt alone, inside the timeout, right before the
     *       provider client.
     * </ol>
     */
    static List<ModelInterceptor> modelChain(
            Function<String, ModelConfig> models,
            Clock clock,
            RandomGenerator random,
            ScheduledExecutorService watchdog,
            CircuitBreakerInterceptor breakers,
            ModelHealth health,
            Telemetry telemetry,
            ModelInterceptor cost) {
        return List.of(
                new DeadlineInterceptor(),
                telemetry.callMetrics(models),
                telemetry.callLog(models),
                cost,
                new FallbackInterceptor(models),
                new HealthRecordingInterceptor(health, clock),
                breakers,
                new RetryInterceptor(clock, random),
                new TimeoutInterceptor(clock, watchdog),
                telemetry.attemptSpans(),
                telemetry.attemptMetrics());
    }

    /** An engine whose calls are costed in memory only, for commands that keep no ledger. */
    static Engine start(PipewrightConfig config) {
        return start(config, CostBackend.inMemory(Clock.system()));
    }

    /** An engine whose calls are costed into {@code costs}, which the caller closes after the engine. */
    static Engine start(PipewrightConfig config, CostBackend costs) {
        return new Engine(config, Clock.system(), costs);
    }

    /**
     * Loads the in-process models in the background when a local provider is configured, so the first request does
     * not pay for it. The load runs once per process; calls that arrive before it ends wait for it.
     */
    void warmUp() {
        boolean local =
                config().providers().values().stream().anyMatch(provider -> provider.kind() == ProviderKind.LOCAL);
        if (local) {
            // A platform thread: the load runs in native code, which would pin a virtual thread's carrier.
            Thread.ofPlatform().daemon().name("pipewright-warm-up").start(() -> new LocalEmbedder().warmUp());
        }
    }

    /** The configuration of the generation this thread is pinned to, else of the current one. */
    PipewrightConfig config() {
        return generation().config();
    }

    private ModelConfig model(String alias) {
        return config().model(alias);
    }

    /** The generation this thread is pinned to (see {@link #pin}), else the current one. */
    Generation generation() {
        Generation pinned = PINNED.get();
        return pinned != null ? pinned : current.get();
    }

    /**
     * Pins the calling thread (and the threads it starts) to the current generation until the returned scope closes,
     * so that a request or job in flight finishes on the configuration it started with. The generation's clients
     * stay open while it is pinned, even after a reload replaced them.
     */
    RequestScope.Scope pin() {
        Generation previous = PINNED.get();
        Generation pinned = references.pin();
        PINNED.set(pinned);
        return () -> {
            if (previous == null) {
                PINNED.remove();
            } else {
                PINNED.set(previous);
            }
            references.unpin(pinned);
        };
    }

    /**
     * Makes {@code next} the current configuration at once for every request that starts afterwards. Model clients
     * (with their connection pools) are kept for providers whose definition did not change, and circuits for models
     * whose definition did not change; a changed or removed model starts again on a closed circuit. The clients the
     * new generation does not take over are closed once no request or job pinned to an older generation uses them.
     */
    Generation swap(PipewrightConfig next) {
        Generation previous = current.get();
        Generation generation = previous.next(next, clock, random);
        previous.config().models().forEach((alias, model) -> {
            if (!model.equals(next.models().get(alias))) {
                breakers.forget(alias);
            }
        });
        // Gauges are registered once per model and provider: only a model new under that pair needs its own.
        telemetry.observeModels(
                next.models().values().stream()
                        .filter(model -> Optional.ofNullable(
                                        previous.config().models().get(model.alias()))
                                .filter(before -> before.provider().equals(model.provider()))
                                .isEmpty())
                        .toList(),
                alias -> breakers.state(alias).name());
        references.swap(current, generation);
        return generation;
    }

    ModelCall modelCall() {
        return modelCall;
    }

    PipelineExecutor executor() {
        return executor;
    }

    /** The model alias a budget's {@code degrade_to} stands for now: a group's current pick, or the alias itself. */
    private String degradeTarget(String name) {
        return modelRouter.resolve(name).map(Route::alias).orElse(name);
    }

    /** Resolves proxy clients' model names; shares its circuits and health with the model calls. */
    ModelRouter modelRouter() {
        return modelRouter;
    }

    /** What the gateway needs for {@code /v1/route}, {@code /health/ready} and the response cache. */
    RoutingFeatures routingFeatures(ResponseCaching caching) {
        return new RoutingFeatures(new PipelineRouter(this::config, executor), readiness(), caching, modelRouter);
    }

    /** Per-model availability for {@code /health/ready}, seeing the same circuits and health as the model calls. */
    Readiness readiness() {
        return new Readiness(
                this::config, health, alias -> breakers.state(alias).name().toLowerCase(Locale.ROOT));
    }

    Telemetry telemetry() {
        return telemetry;
    }

    static ModelClient client(PipewrightConfig config, ProviderConfig provider, Clock clock, RandomGenerator random) {
        return switch (provider.kind()) {
            case SIMULATED ->
                new SimulatedModelClient(simulationProfiles(config, Set.of(provider.name())), clock, random);
            case LOCAL -> new LocalModelClient(localSettings(provider.local()));
            case ANTHROPIC -> new AnthropicModelClient(provider, Engine::environment, clock);
            case OPENAI -> new OpenAiModelClient(provider, Engine::environment, clock);
        };
    }

    private static Optional<String> environment(String name) {
        return Optional.ofNullable(System.getenv(name));
    }

    /** The in-process models' settings: what the configuration leaves out keeps the built-in default. */
    static LocalModelSettings localSettings(LocalModelsConfig config) {
        ClassifierSettings defaults = ClassifierSettings.defaults();
        ClassifierSettings classifier = new ClassifierSettings(
                config.labels().isEmpty() ? defaults.labelDescriptions() : config.labels(),
                config.temperature().orElse(defaults.temperature()));
        return new LocalModelSettings(
                classifier,
                config.summarySentences(),
                config.classifierHead(),
                config.ocrCommand(),
                config.ocrLanguage());
    }

    /** The behaviour of the models of {@code providers}, keyed by the provider model name a client is asked for. */
    static SimulationProfiles simulationProfiles(PipewrightConfig config, Set<String> providers) {
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
        telemetry.close();
    }
}
