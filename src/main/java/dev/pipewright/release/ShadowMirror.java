package dev.pipewright.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.CandidateConfig;
import dev.pipewright.config.ShadowConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.RunContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a candidate on a copy of a live request, off the request path: the copy is handed to a virtual thread and the
 * caller goes on at once. Copies beyond the deployment's {@code max_per_second} (a token bucket of its own, apart from
 * the tenants' limits) or {@code max_in_flight} are dropped, never queued, so a slow candidate cannot pile up work. The
 * shadow run goes through the same model calls as any run (so it is costed, under the variant {@code shadow:NAME});
 * its output is stored beside the live one.
 */
final class ShadowMirror {
    private static final Logger log = LoggerFactory.getLogger(ShadowMirror.class);

    private final PipelineExecutor executor;
    private final ReleaseStore store;
    private final Clock clock;
    private final ExecutorService background;
    private final ReleaseMeters meters;
    private final Map<String, Limit> limits = new ConcurrentHashMap<>();

    ShadowMirror(
            PipelineExecutor executor,
            ReleaseStore store,
            Clock clock,
            ExecutorService background,
            ReleaseMeters meters) {
        this.executor = executor;
        this.store = store;
        this.clock = clock;
        this.background = background;
        this.meters = meters;
    }

    /** Starts the shadow run of {@code served} on {@code candidate}, or drops it when a limit is reached. */
    void mirror(ShadowConfig shadow, CandidateConfig candidate, String version, ServedRun served) {
        String deployment = served.variant().pipeline().name();
        Limit limit = limits.computeIfAbsent(deployment, ignored -> new Limit());
        Semaphore taken = limit.tryTake(shadow, clock);
        if (taken == null) {
            meters.shadow(deployment, candidate.name(), "dropped");
            return;
        }
        try {
            background.execute(() -> {
                try {
                    run(deployment, candidate, version, served);
                } finally {
                    taken.release();
                }
            });
        } catch (RejectedExecutionException closing) {
            taken.release();
        }
    }

    private void run(String deployment, CandidateConfig candidate, String version, ServedRun served) {
        RunContext context = RunContext.of(served.requestId() + ":shadow", served.tenant())
                .withVariant("shadow:" + candidate.name());
        long start = clock.nanoTime();
        Optional<JsonNode> output = Optional.empty();
        Optional<String> error = Optional.empty();
        double cost;
        try {
            PipelineResult result = executor.run(candidate.pipeline(), served.input(), context);
            output = Optional.of(PipelineResultJson.results(result));
            cost = result.costUsd().doubleValue();
        } catch (PipelineFailedException failed) {
            error = Optional.of(failed.getMessage());
            cost = failed.partial().costUsd().doubleValue();
        } catch (CancellationException closing) {
            // Interrupted by close: the candidate did not fail, so no pair is stored that would count it as failed.
            meters.shadow(deployment, candidate.name(), "cancelled");
            return;
        } catch (RuntimeException failed) {
            error = Optional.of(failed.toString());
            cost = 0;
        }
        long latencyMs = Duration.ofNanos(clock.nanoTime() - start).toMillis();
        meters.shadow(deployment, candidate.name(), error.isPresent() ? "failed" : "succeeded");
        try {
            store.pair(new Pair(
                    deployment,
                    candidate.name(),
                    version,
                    Pair.SHADOW,
                    clock.instant(),
                    served.requestId(),
                    served.results().map(JsonNode::toString).orElse("null"),
                    output.map(JsonNode::toString),
                    error,
                    served.latency().toMillis(),
                    latencyMs,
                    served.costUsd().doubleValue(),
                    cost));
        } catch (RuntimeException e) {
            log.warn("could not store the shadow pair of request {}: {}", served.requestId(), e.toString());
        }
    }

    /** A token bucket refilled at max_per_second, and the permits of max_in_flight. */
    private static final class Limit {
        private double tokens = -1;
        private long refilledAt;
        private Semaphore inFlight;
        private int permits;

        /**
         * The in-flight permit taken, or null when the copy must be dropped. The clock is read under the lock: a time
         * read before it may be older than the last refill (the thread can be parked on the lock meanwhile), and the
         * negative interval would take tokens away and drop copies that were within the rate.
         */
        synchronized Semaphore tryTake(ShadowConfig shadow, Clock clock) {
            long now = clock.nanoTime();
            if (inFlight == null || permits != shadow.maxInFlight()) {
                inFlight = new Semaphore(shadow.maxInFlight());
                permits = shadow.maxInFlight();
            }
            if (tokens < 0) {
                tokens = shadow.maxPerSecond();
                refilledAt = now;
            }
            tokens = Math.min(shadow.maxPerSecond(), tokens + (now - refilledAt) / 1e9 * shadow.maxPerSecond());
            refilledAt = now;
            if (tokens < 1 || !inFlight.tryAcquire()) {
                return null;
            }
            tokens -= 1;
            return inFlight;
        }
    }
}
