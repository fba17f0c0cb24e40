package dev.pipewright.gateway.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Recent rates from the process's own meters, for the console's overview: per model the calls, error rate and
 * p50/p95 latency (estimated from the latency histogram's buckets, as Prometheus' {@code histogram_quantile} does),
 * requests per minute and the cache hit rate, over the last {@link #WINDOW}.
 *
 * <p>The meters only count up, so a rate needs an earlier reading. Readings are taken when the overview is read, at
 * most one per {@link #SPACING}, and kept for the window: no thread of its own. When nobody looked for longer than
 * the window, the span is from the latest reading older than it, and {@link Stats#span} says how long that is.
 * Thread safe.
 */
public final class MetricWindow {
    public static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration SPACING = Duration.ofSeconds(10);

    private static final String CALLS = "pipewright.model.call.duration";
    private static final String REQUESTS = "pipewright.gateway.request.duration";
    private static final String CACHE = "pipewright.cache.requests";

    private final MeterRegistry registry;
    private final InstantSource clock;
    private final Deque<Reading> readings = new ArrayDeque<>();

    /** Calls of one model: how many, how many failed, and the cumulative histogram (upper bound in ms → count). */
    record ModelCounts(long calls, long errors, double[] boundsMs, double[] cumulative) {}

    private record Reading(Instant at, Map<String, ModelCounts> models, double requests, double hits, double misses) {}

    /** One model over the span: p50 and p95 are empty when it had no call. */
    public record ModelRates(
            String model, long calls, double errorRate, Optional<Double> p50Ms, Optional<Double> p95Ms) {}

    public record Stats(
            Duration span, Map<String, ModelRates> models, double requestsPerMinute, Optional<Double> cacheHitRate) {}

    public MetricWindow(MeterRegistry registry, InstantSource clock) {
        this.registry = Objects.requireNonNull(registry);
        this.clock = Objects.requireNonNull(clock);
        readings.add(read());
    }

    public synchronized Stats stats() {
        Reading now = read();
        Instant since = now.at().minus(WINDOW);
        // Drop a reading once the next one is old enough to serve as the window's start.
        while (readings.size() > 1 && !secondOldest().at().isAfter(since)) {
            readings.removeFirst();
        }
        Reading base = readings.getFirst();
        if (Duration.between(readings.getLast().at(), now.at()).compareTo(SPACING) >= 0) {
            readings.addLast(now);
        }
        Duration span = Duration.between(base.at(), now.at());
        double minutes = Math.max(span.toMillis(), 1) / 60_000.0;
        Map<String, ModelRates> models = new HashMap<>();
        now.models()
                .forEach((model, counts) ->
                        models.put(model, rates(model, counts, base.models().get(model))));
        double lookups = (now.hits() - base.hits()) + (now.misses() - base.misses());
        return new Stats(
                span,
                models,
                (now.requests() - base.requests()) / minutes,
                lookups > 0 ? Optional.of((now.hits() - base.hits()) / lookups) : Optional.empty());
    }

    private Reading secondOldest() {
        var iterator = readings.iterator();
        iterator.next();
        return iterator.next();
    }

    private static ModelRates rates(String model, ModelCounts now, ModelCounts before) {
        long calls = now.calls() - (before == null ? 0 : before.calls());
        long errors = now.errors() - (before == null ? 0 : before.errors());
        double[] counts = now.cumulative().clone();
        if (before != null && before.cumulative().length == counts.length) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] -= before.cumulative()[i];
            }
        }
        return new ModelRates(
                model,
                calls,
                calls == 0 ? 0 : (double) errors / calls,
                quantile(0.5, calls, now.boundsMs(), counts),
                quantile(0.95, calls, now.boundsMs(), counts));
    }

    /**
     * The latency below which {@code q} of the calls fell, interpolated linearly inside the bucket where that share
     * is reached; beyond the last bound the last bound is the best known answer.
     */
    static Optional<Double> quantile(double q, long calls, double[] boundsMs, double[] cumulative) {
        if (calls <= 0 || boundsMs.length == 0) {
            return Optional.empty();
        }
        double rank = q * calls;
        double lowerBound = 0;
        double lowerCount = 0;
        for (int i = 0; i < boundsMs.length; i++) {
            if (cumulative[i] >= rank) {
                double inBucket = cumulative[i] - lowerCount;
                double share = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return Optional.of(lowerBound + (boundsMs[i] - lowerBound) * share);
            }
            lowerBound = boundsMs[i];
            lowerCount = cumulative[i];
        }
        return Optional.of(boundsMs[boundsMs.length - 1]);
    }

    private Reading read() {
        Map<String, ModelCounts> models = new HashMap<>();
        for (Timer timer : registry.find(CALLS).timers()) {
            String model = timer.getId().getTag("model");
            if (model == null) {
                continue;
            }
            HistogramSnapshot snapshot = timer.takeSnapshot();
            CountAtBucket[] buckets = snapshot.histogramCounts();
            double[] bounds = new double[buckets.length];
            double[] cumulative = new double[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
                cumulative[i] = buckets[i].count();
            }
            long errors = "error".equals(timer.getId().getTag("outcome")) ? snapshot.count() : 0;
            models.merge(model, new ModelCounts(snapshot.count(), errors, bounds, cumulative), MetricWindow::sum);
        }
        // The console's own pages (and their refreshes) are not traffic the overview should count.
        double requests = registry.find(REQUESTS).timers().stream()
                .filter(timer -> !String.valueOf(timer.getId().getTag("route")).startsWith("/console"))
                .mapToDouble(Timer::count)
                .sum();
        return new Reading(clock.instant(), models, requests, cacheCount("hit"), cacheCount("miss"));
    }

    private double cacheCount(String outcome) {
        return registry.find(CACHE).tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static ModelCounts sum(ModelCounts a, ModelCounts b) {
        if (a.boundsMs().length != b.boundsMs().length) {
            return a.calls() >= b.calls() ? a : b;
        }
        double[] cumulative = a.cumulative().clone();
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] += b.cumulative()[i];
        }
        return new ModelCounts(a.calls() + b.calls(), a.errors() + b.errors(), a.boundsMs(), cumulative);
    }
}
