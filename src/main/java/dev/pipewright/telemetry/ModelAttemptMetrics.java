package dev.pipewright.telemetry;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.CallerGone;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.StreamSink;
import dev.pipewright.model.ToolCallDelta;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The metrics link of each attempt. It sits innermost, right before the provider client (inside the timeout link),
 * so it measures the provider alone: no back-off, no other model.
 *
 * <ul>
 *   <li>{@code pipewright.model.attempts} (provider, model, outcome, error): outcome {@code success}, {@code error}
 *       or {@code caller_gone} (the caller stopped taking the stream); error is the error's kind, else {@code none}.
 *   <li>{@code pipewright.model.attempt.duration} (histogram with SLO buckets; provider, model, outcome).
 *   <li>{@code pipewright.model.first.token.duration} (histogram; provider, model): for streamed attempts, the time
 *       from the start of the attempt to the first piece of the answer (text or a tool call).
 * </ul>
 *
 * Thread safe.
 */
public final class ModelAttemptMetrics implements ModelInterceptor {
    private final Clock clock;
    private final MeterCache<Timer> durations;
    private final MeterCache<Counter> attempts;
    private final MeterCache<Timer> firstTokens;

    public ModelAttemptMetrics(MeterRegistry registry, Clock clock) {
        Objects.requireNonNull(registry);
        this.clock = Objects.requireNonNull(clock);
        this.durations = new MeterCache<>(tags -> Timer.builder("pipewright.model.attempt.duration")
                .description("Time of one attempt at a provider, without back-off or fallbacks")
                .tags(ModelTags.of(tags.get(0), tags.get(1)).and("outcome", tags.get(2)))
                .serviceLevelObjectives(ModelCallMetrics.SLO_BUCKETS)
                .register(registry));
        this.attempts = new MeterCache<>(tags -> Counter.builder("pipewright.model.attempts")
                .description("Attempts at a provider, by outcome and by the kind of error")
                .tags(ModelTags.of(tags.get(0), tags.get(1)).and("outcome", tags.get(2), "error", tags.get(3)))
                .register(registry));
        this.firstTokens = new MeterCache<>(tags -> Timer.builder("pipewright.model.first.token.duration")
                .description("Time from the start of a streamed attempt to the first piece of the answer")
                .tags(ModelTags.of(tags.get(0), tags.get(1)))
                .serviceLevelObjectives(ModelCallMetrics.SLO_BUCKETS)
                .register(registry));
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation invocation = chain.invocation();
        ModelConfig model = invocation.model();
        long start = clock.nanoTime();
        try {
            ModelResponse response = chain.proceed(timingFirstToken(invocation, start));
            record(model, start, "success", "none");
            return response;
        } catch (ModelException e) {
            record(model, start, "error", e.error().kind());
            throw e;
        } catch (CallerGone e) {
            record(model, start, ModelCallMetrics.CALLER_GONE, "none");
            throw e;
        }
    }

    private void record(ModelConfig model, long start, String outcome, String error) {
        durations.get(model.provider(), model.alias(), outcome).record(clock.nanoTime() - start, TimeUnit.NANOSECONDS);
        attempts.get(model.provider(), model.alias(), outcome, error).increment();
    }

    /**
     * A streamed invocation whose pieces pass through a sink that times the first one; the caller's sink still gets
     * every piece, so the links outside see the stream start as before.
     */
    private Invocation timingFirstToken(Invocation invocation, long start) {
        if (invocation.stream().isEmpty()) {
            return invocation;
        }
        StreamSink downstream = invocation.stream().get();
        Timer firstToken = firstTokens.get(
                invocation.model().provider(), invocation.model().alias());
        AtomicBoolean seen = new AtomicBoolean();
        Runnable piece = () -> {
            if (seen.compareAndSet(false, true)) {
                firstToken.record(clock.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
        StreamSink timed = new StreamSink(new StreamListener() {
            @Override
            public void onText(String delta) {
                piece.run();
                downstream.onText(delta);
            }

            @Override
            public void onToolCall(ToolCallDelta delta) {
                piece.run();
                downstream.onToolCall(delta);
            }

            @Override
            public void onAttempt(String alias, String providerModel) {
                downstream.onAttempt(alias, providerModel);
            }
        });
        return new Invocation(
                invocation.request(),
                invocation.model(),
                invocation.deadline(),
                invocation.timeout(),
                invocation.attempt(),
                invocation.waitedBefore(),
                invocation.idempotencyKey(),
                invocation.labels(),
                invocation.attempts(),
                Optional.of(timed));
    }
}
