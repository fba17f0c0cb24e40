package dev.pipewright.telemetry;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.Attempt;
import dev.pipewright.model.CallerGone;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The metrics link of one logical model call. It sits inside the deadline link and outside the fallback link, so it
 * sees the call as the caller does: every retry, back-off and fallback included.
 *
 * <ul>
 *   <li>{@code pipewright.model.call.duration} (histogram with SLO buckets; provider, model, outcome): the model is
 *       the alias asked for; the outcome is {@code success}, {@code fallback} (another alias answered),
 *       {@code error}, or {@code caller_gone} (the caller stopped taking a stream, which says nothing of the model).
 *   <li>{@code pipewright.model.call.failures} (provider, model, error): calls that no model answered, by the kind
 *       of the error that ended them.
 *   <li>{@code pipewright.model.tokens} (tenant, provider, model, type): the tokens of the model that answered, by
 *       type {@code input}, {@code output} and {@code cached} (the part of the input a provider's cache served).
 * </ul>
 *
 * <p>The time of the call is also charged to the request's {@link ModelTimeAccount}, from which the gateway derives
 * its own overhead. Thread safe.
 */
public final class ModelCallMetrics implements ModelInterceptor {
    /** The outcome of a call or attempt whose caller stopped taking its stream. */
    static final String CALLER_GONE = "caller_gone";

    /** The latency buckets of every latency histogram; Micrometer copies them, so sharing the array is safe. */
    static final Duration[] SLO_BUCKETS = {
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(20),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private final Function<String, ModelConfig> models;
    private final ModelTimeAccounts accounts;
    private final Clock clock;
    private final MeterCache<Timer> durations;
    private final MeterCache<Counter> failures;
    private final MeterCache<Counter> tokens;

    public ModelCallMetrics(
            MeterRegistry registry, Function<String, ModelConfig> models, ModelTimeAccounts accounts, Clock clock) {
        Objects.requireNonNull(registry);
        this.models = Objects.requireNonNull(models);
        this.accounts = Objects.requireNonNull(accounts);
        this.clock = Objects.requireNonNull(clock);
        this.durations = new MeterCache<>(tags -> Timer.builder("pipewright.model.call.duration")
                .description("Time of a logical model call as its caller sees it, retries and fallbacks included")
                .tags(ModelTags.of(tags.get(0), tags.get(1)).and("outcome", tags.get(2)))
                .serviceLevelObjectives(SLO_BUCKETS)
                .register(registry));
        this.failures = new MeterCache<>(tags -> Counter.builder("pipewright.model.call.failures")
                .description("Model calls that no model answered, by the kind of error that ended them")
                .tags(ModelTags.of(tags.get(0), tags.get(1)).and("error", tags.get(2)))
                .register(registry));
        this.tokens = new MeterCache<>(tags -> Counter.builder("pipewright.model.tokens")
                .description("Tokens of the models that answered, by type: input, output, and cached input")
                .baseUnit("tokens")
                .tags(ModelTags.of(tags.get(0), tags.get(1)).and("tenant", tags.get(2), "type", tags.get(3)))
                .register(registry));
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation invocation = chain.invocation();
        ModelConfig asked = invocation.model();
        long start = clock.nanoTime();
        try (ModelTimeAccounts.Charge charge =
                accounts.charge(invocation.labels().requestId())) {
            ModelResponse response = chain.proceed(invocation);
            ModelConfig answered = answeredBy(invocation).orElse(asked);
            String outcome = answered.alias().equals(asked.alias()) ? "success" : "fallback";
            duration(asked, outcome).record(clock.nanoTime() - start, TimeUnit.NANOSECONDS);
            countTokens(invocation.labels().tenant(), answered, response.usage());
            return response;
        } catch (ModelException e) {
            duration(asked, "error").record(clock.nanoTime() - start, TimeUnit.NANOSECONDS);
            failures.get(asked.provider(), asked.alias(), e.error().kind()).increment();
            throw e;
        } catch (CallerGone e) {
            duration(asked, CALLER_GONE).record(clock.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    private Optional<ModelConfig> answeredBy(Invocation invocation) {
        List<Attempt> attempts = invocation.attempts().snapshot();
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (attempts.get(i).succeeded()) {
                return Optional.of(models.apply(attempts.get(i).model()));
            }
        }
        return Optional.empty();
    }

    private Timer duration(ModelConfig model, String outcome) {
        return durations.get(model.provider(), model.alias(), outcome);
    }

    private void countTokens(String tenant, ModelConfig model, Usage usage) {
        tokens.get(model.provider(), model.alias(), tenant, "input").increment(usage.inputTokens());
        tokens.get(model.provider(), model.alias(), tenant, "output").increment(usage.outputTokens());
        tokens.get(model.provider(), model.alias(), tenant, "cached").increment(usage.cachedInputTokens());
    }
}
