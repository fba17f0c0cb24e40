package dev.pipewright.jobs;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.telemetry.Tracing;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The workers of one process: {@code count} {@link Worker}s named {@code PREFIX-1..count}, woken by every enqueue
 * committed through the same store instance, stopped together. Thread safe.
 */
public final class WorkerPool implements AutoCloseable {
    private final List<Worker> workers;

    private WorkerPool(List<Worker> workers) {
        this.workers = List.copyOf(workers);
    }

    /**
     * Starts {@code count} workers with {@code settings}, each with the id {@code settings.workerId() + "-" + n},
     * recording no spans (the jobs' trace context still propagates to their model calls and logs).
     */
    public static WorkerPool start(
            int count,
            JobStore store,
            PipelineExecutor executor,
            Supplier<PipewrightConfig> config,
            Clock clock,
            RandomGenerator random,
            WorkerSettings settings) {
        return start(
                count,
                store,
                executor,
                config,
                clock,
                random,
                settings,
                Tracing.off().tracer());
    }

    /**
     * Starts {@code count} workers with {@code settings}, each with the id {@code settings.workerId() + "-" + n},
     * whose claims and attempts are spans of {@code tracer}.
     */
    public static WorkerPool start(
            int count,
            JobStore store,
            PipelineExecutor executor,
            Supplier<PipewrightConfig> config,
            Clock clock,
            RandomGenerator random,
            WorkerSettings settings,
            Tracer tracer) {
        return start(
                count, store, executor, config, clock, random, settings, tracer, JobScope.NONE, JobRunListener.NONE);
    }

    /**
     * As above, with each job attempt run within {@code scope} and told to {@code runs} once it ran its pipeline (see
     * {@link Worker#start}).
     */
    public static WorkerPool start(
            int count,
            JobStore store,
            PipelineExecutor executor,
            Supplier<PipewrightConfig> config,
            Clock clock,
            RandomGenerator random,
            WorkerSettings settings,
            Tracer tracer,
            JobScope scope,
            JobRunListener runs) {
        if (count < 1) {
            throw new IllegalArgumentException("a worker pool needs at least 1 worker, but was " + count);
        }
        List<Worker> workers = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            WorkerSettings own = new WorkerSettings(
                    settings.workerId() + "-" + n,
                    settings.concurrency(),
                    settings.pollInterval(),
                    settings.lease(),
                    settings.heartbeat(),
                    settings.shutdownGrace(),
                    settings.backoff());
            workers.add(Worker.start(store, executor, config, clock, random, own, tracer, scope, runs));
        }
        WorkerPool pool = new WorkerPool(workers);
        store.whenEnqueued(pool::wake);
        return pool;
    }

    public void wake() {
        workers.forEach(Worker::wake);
    }

    /** The jobs the pool's workers are running now. */
    public int inFlight() {
        return workers.stream().mapToInt(Worker::inFlight).sum();
    }

    /** Claims no more jobs in any worker; the running ones go on until {@link #close}. */
    public void stopClaiming() {
        workers.forEach(Worker::stopClaiming);
    }

    /** Stops every worker gracefully (see {@link Worker#close()}), in parallel. */
    @Override
    public void close() {
        workers.parallelStream().forEach(Worker::close);
    }
}
