package dev.pipewright.resilience;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.config.CircuitPolicy;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.ModelType;
import dev.pipewright.config.RetryPolicy;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.config.StreamTimeouts;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResult;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * A real {@link ModelCall} built with {@link ResilienceChain#standard} over scripted models and a {@link FakeClock}.
 */
final class Harness implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofMinutes(1);
    static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1));
    static final CircuitPolicy CIRCUIT = new CircuitPolicy(0.5, 10, 20, Duration.ofSeconds(30), 3);
    /** Jitter draws that are always the smallest possible, so waits are exactly half the capped back-off. */
    static final RandomGenerator LOWEST_JITTER = () -> 0L;

    final FakeClock clock = new FakeClock();
    final CircuitBreakerInterceptor breakers = new CircuitBreakerInterceptor(clock);
    private final Map<String, ModelConfig> models = new ConcurrentHashMap<>();
    private final Map<String, ScriptedModelClient> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;
    private final ModelCall call;

    Harness() {
        this(LOWEST_JITTER);
    }

    Harness(RandomGenerator random) {
        this(random, Executors.newSingleThreadScheduledExecutor());
    }

    Harness(RandomGenerator random, ScheduledExecutorService watchdog) {
        this.watchdog = watchdog;
        call = new ModelCall(
                ResilienceChain.standard(this::config, clock, random, watchdog, breakers),
                model -> clients.get(model.alias()),
                this::config,
                clock);
    }

    /** Adds a model and returns the fake provider that serves it. */
    ScriptedModelClient add(ModelSpec spec) {
        ModelConfig model = spec.build();
        models.put(model.alias(), model);
        return clients.computeIfAbsent(model.alias(), alias -> new ScriptedModelClient());
    }

    ModelResult call(String alias) {
        return call(alias, Deadline.after(DEADLINE, clock));
    }

    ModelResult call(String alias, Deadline deadline) {
        ModelRequest request = ModelRequest.Chat.of(ChatMessage.user("hello"));
        return call.execute(request, alias, deadline, "idem-1", CallLabels.NONE);
    }

    ModelCallException failure(String alias) {
        return failure(alias, Deadline.after(DEADLINE, clock));
    }

    ModelCallException failure(String alias, Deadline deadline) {
        return catchThrowableOfType(ModelCallException.class, () -> call(alias, deadline));
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    private ModelConfig config(String alias) {
        ModelConfig model = models.get(alias);
        if (model == null) {
            throw new IllegalArgumentException("unknown model " + alias);
        }
        return model;
    }

    static ModelSpec model(String alias) {
        return new ModelSpec(alias);
    }

    /** Builds a test model config; every setting starts at a small, fast default. */
    static final class ModelSpec {
        private final String alias;
        private Duration timeout = Duration.ofSeconds(10);
        private RetryPolicy retry = RETRY;
        private CircuitPolicy circuit = CIRCUIT;
        private List<String> fallbacks = List.of();
        private OptionalInt contextWindow = OptionalInt.empty();

        private ModelSpec(String alias) {
            this.alias = alias;
        }

        ModelSpec timeout(Duration value) {
            timeout = value;
            return this;
        }

        ModelSpec retry(int attempts, Duration baseDelay, Duration maxDelay) {
            retry = new RetryPolicy(attempts, baseDelay, maxDelay);
            return this;
        }

        ModelSpec attempts(int attempts) {
            return retry(attempts, RETRY.baseDelay(), RETRY.maxDelay());
        }

        ModelSpec circuit(CircuitPolicy value) {
            circuit = value;
            return this;
        }

        ModelSpec fallbacks(String... aliases) {
            fallbacks = List.of(aliases);
            return this;
        }

        ModelSpec contextWindow(int tokens) {
            contextWindow = OptionalInt.of(tokens);
            return this;
        }

        ModelConfig build() {
            return new ModelConfig(
                    alias,
                    "test",
                    providerModel(alias),
                    ModelType.CHAT,
                    Optional.empty(),
                    timeout,
                    retry,
                    circuit,
                    fallbacks,
                    contextWindow,
                    SimulationConfig.DEFAULT,
                    StreamTimeouts.DEFAULT);
        }
    }

    static String providerModel(String alias) {
        return alias + "-2026-01-01";
    }
}
