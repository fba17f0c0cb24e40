package dev.pipewright.router;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What calls have shown about each model alias: when it last answered, when it last failed and why, and an
 * exponentially weighted moving average of the latency of its answers. Fed by {@link HealthRecordingInterceptor} (or
 * {@link ModelRouter#recordOutcome}); read by readiness and by the lowest-latency strategy. Thread safe.
 */
public final class ModelHealth {
    /** The weight of the newest latency in the moving average: about the last five calls dominate it. */
    static final double NEWEST_LATENCY_WEIGHT = 0.3;

    private final ConcurrentMap<String, Observation> byAlias = new ConcurrentHashMap<>();

    /** What is known of one alias; every part is empty until a call has shown it. */
    public record Observation(
            Optional<Instant> lastSuccess,
            Optional<Instant> lastFailure,
            Optional<String> lastError,
            Optional<Duration> averageLatency) {
        static final Observation NONE =
                new Observation(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The model answered at {@code at} after {@code latency}. */
    public void recordSuccess(String alias, Instant at, Duration latency) {
        byAlias.compute(alias, (ignored, before) -> {
            Observation known = before == null ? Observation.NONE : before;
            return new Observation(
                    Optional.of(at), known.lastFailure(), known.lastError(), Optional.of(average(known, latency)));
        });
    }

    /** The model failed at {@code at} in a way that says it is unhealthy; {@code error} names how, for operators. */
    public void recordFailure(String alias, Instant at, String error) {
        byAlias.compute(alias, (ignored, before) -> {
            Observation known = before == null ? Observation.NONE : before;
            return new Observation(known.lastSuccess(), Optional.of(at), Optional.of(error), known.averageLatency());
        });
    }

    public Observation observed(String alias) {
        return byAlias.getOrDefault(alias, Observation.NONE);
    }

    private static Duration average(Observation known, Duration latency) {
        return known.averageLatency()
                .map(previous -> Duration.ofNanos(Math.round(
                        NEWEST_LATENCY_WEIGHT * latency.toNanos() + (1 - NEWEST_LATENCY_WEIGHT) * previous.toNanos())))
                .orElse(latency);
    }
}
