package dev.pipewright.telemetry;

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
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.StreamListener;
import dev.pipewright.resilience.CircuitBreakerInterceptor;
import dev.pipewright.resilience.DeadlineInterceptor;
import dev.pipewright.resilience.FallbackInterceptor;
import dev.pipewright.resilience.RetryInterceptor;
import dev.pipewright.resilience.TimeoutInterceptor;
import dev.pipewright.testing.FakeClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The model-call chain in the production order, with telemetry's links, over a scripted client and a fake clock. */
final class ChainHarness implements AutoCloseable {
    final FakeClock clock = new FakeClock();
    final ScriptedClient client = new ScriptedClient(clock);
    final CircuitBreakerInterceptor breakers = new CircuitBreakerInterceptor(clock);
    final ModelTimeAccounts accounts = new ModelTimeAccounts(clock);
    final Map<String, ModelConfig> models;
    final ModelCall call;
    private final ScheduledExecutorService watchdog = TimeoutInterceptor.newWatchdog();

    ChainHarness(MeterRegistry registry, Tracer tracer, ModelConfig... models) {
        this(registry, tracer, false, models);
    }

    /** With {@code logContent}, the log link writes prompts and answers, as {@code logging.content: true} asks. */
    ChainHarness(MeterRegistry registry, Tracer tracer, boolean logContent, ModelConfig... models) {
        this.models = List.of(models).stream().collect(Collectors.toMap(ModelConfig::alias, Function.identity()));
        Function<String, ModelConfig> byAlias = this.models::get;
        this.call = new ModelCall(
                List.of(
                        new DeadlineInterceptor(),
                        new ModelCallMetrics(registry, byAlias, accounts, clock),
                        new ModelCallLog(byAlias, clock, logContent),
                        new FallbackInterceptor(byAlias),
                        breakers,
                        new RetryInterceptor(clock, () -> 0L),
                        new TimeoutInterceptor(clock, watchdog),
                        new ModelAttemptSpans(tracer),
                        new ModelAttemptMetrics(registry, clock)),
                model -> client,
                byAlias,
                clock);
    }

    static ModelConfig model(String alias, String provider, String... fallbacks) {
        return new ModelConfig(
                alias,
                provider,
                alias + "-2026-01-01",
                ModelType.CHAT,
                Optional.empty(),
                Duration.ofSeconds(30),
                new RetryPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(1)),
                CircuitPolicy.DEFAULT,
                List.of(fallbacks),
                OptionalInt.empty(),
                SimulationConfig.DEFAULT,
                StreamTimeouts.DEFAULT);
    }

    static String providerModel(String alias) {
        return alias + "-2026-01-01";
    }

    ModelResult call(String alias, CallLabels labels) {
        return call.execute(
                ModelRequest.Chat.of(ChatMessage.user("hello")),
                alias,
                Deadline.after(Duration.ofMinutes(5), clock),
                "key",
                labels);
    }

    ModelResult stream(String alias, CallLabels labels) {
        return stream(alias, labels, delta -> {});
    }

    ModelResult stream(String alias, CallLabels labels, StreamListener listener) {
        return call.stream(
                ModelRequest.Chat.of(ChatMessage.user("hello")),
                alias,
                Deadline.after(Duration.ofMinutes(5), clock),
                "key",
                labels,
                listener);
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
