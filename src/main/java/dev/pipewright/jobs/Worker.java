package dev.pipewright.jobs;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineExecutor;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims jobs from a {@link JobStore} and runs them, up to {@code concurrency} at a time, each on its own virtual
 * thread: the pipeline runs through the {@link PipelineExecutor} with the job's id as request id (so model calls
 * carry the idempotency key {@code jobId:step}) and a {@link JobStepJournal} under the claim's lease, which a
 * heartbeat renews while the job runs. The outcome is written with the lease's fencing token.
 *
 * <p>The claim loop never sleeps on behalf of a job: a job waiting for a retry waits in the store ({@code runAt}).
 * An idle worker waits at most {@code pollInterval} between claims, and {@link #wake()} cuts the wait short.
 *
 * <p>{@link #close()} stops gracefully: no new claims; running jobs get the shutdown grace to finish; those still
 * running then are interrupted and given back to the queue without using an attempt. Thread safe.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final JobStore store;
    private final WorkerSettings settings;
    private final JobAttempt.Dependencies dependencies;
    private final Semaphore slots;
    private final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService heartbeats;
    private final Map<String, JobAttempt> running = new ConcurrentHashMap<>();
    private final ReentrantLock idle = new ReentrantLock();
    private final Condition woken = idle.newCondition();
    private final Thread claimLoop;
    private volatile boolean stopping;
    private boolean wakeRequested;

    private Worker(
            JobStore store,
            PipelineExecutor executor,
            Supplier<PipewrightConfig> config,
            Clock clock,
            RandomGenerator random,
            WorkerSettings settings,
            Tracer tracer,
            JobScope scope,
            JobRunListener runs) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.slots = new Semaphore(settings.concurrency());
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon()
                .name("heartbeat-" + settings.workerId())
                .factory());
        this.dependencies = new JobAttempt.Dependencies(
                store,
                Objects.requireNonNull(executor, "executor"),
                config,
                clock,
                random,
                settings,
                heartbeats,
                Objects.requireNonNull(tracer, "tracer"),
                Objects.requireNonNull(scope, "scope"),
                Objects.requireNonNull(runs, "runs"));
        this.claimLoop =
                Thread.ofVirtual().name("claims-" + settings.workerId()).unstarted(this::claimLoop);
    }

    /**
     * Starts a worker that claims from {@code store} until closed. {@code config} is read for every job, so a
     * reloaded configuration applies to the next job claimed. Each claim and each attempt is a span of {@code
     * tracer}, in the trace the job was submitted under. Each attempt runs within {@code scope}, entered once per
     * job: with the scope that pins the configuration generation, a job finishes on the pipeline and models it
     * started with even when a reload swaps them meanwhile ({@code config} then reads the pinned configuration).
     * {@code runs} is told of every attempt that ran its pipeline (see {@link JobRunListener}).
     */
    public static Worker start(
            JobStore store,
            PipelineExecutor executor,
            Supplier<PipewrightConfig> config,
            Clock clock,
            RandomGenerator random,
            WorkerSettings settings,
            Tracer tracer,
            JobScope scope,
            JobRunListener runs) {
        Worker worker = new Worker(store, executor, config, clock, random, settings, tracer, scope, runs);
        worker.claimLoop.start();
        return worker;
    }

    public String id() {
        return settings.workerId();
    }

    /** Ends an idle wait at once so the worker claims now; called when a job was enqueued in this process. */
    public void wake() {
        idle.lock();
        try {
            wakeRequested = true;
            woken.signalAll();
        } finally {
            idle.unlock();
        }
    }

    /** The jobs this worker is running now. */
    public int inFlight() {
        return running.size();
    }

    /**
     * Never interrupted, even on close: an interrupt would break the database connection of a claim in flight, and
     * a claim committed but not read back leaves its job to wait out the lease.
     */
    private void claimLoop() {
        while (!stopping) {
            try {
                if (!slots.tryAcquire(settings.pollInterval().toNanos(), TimeUnit.NANOSECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            if (stopping || !claimOne()) {
                slots.release();
                awaitWork();
            }
        }
    }

    /** Claims and starts one job; false when none was due or the store could not be reached. */
    private boolean claimOne() {
        Optional<ClaimedJob> claimed;
        Instant started = dependencies.clock().instant();
        try {
            claimed = store.claim(
                    settings.workerId(),
                    settings.lease(),
                    dependencies.config().get().queues());
        } catch (RuntimeException e) {
            log.warn("worker {} could not claim a job; trying again in {}", id(), settings.pollInterval(), e);
            return false;
        }
        claimed.ifPresent(job -> {
            JobSpans.claimed(
                    dependencies.tracer(), job, started, dependencies.clock().instant());
            JobAttempt attempt = new JobAttempt(dependencies, job);
            running.put(job.job().id(), attempt);
            jobs.execute(() -> {
                try {
                    attempt.run(() -> stopping);
                } finally {
                    running.remove(job.job().id());
                    slots.release();
                }
            });
        });
        return claimed.isPresent();
    }

    private void awaitWork() {
        idle.lock();
        try {
            if (!wakeRequested && !stopping) {
                woken.await(settings.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            idle.unlock();
        }
    }

    /**
     * Claims no more jobs from now on; the running ones go on. The first step of a graceful stop: {@link #close}
     * then waits for them.
     */
    public void stopClaiming() {
        stopping = true;
        wake();
    }

    @Override
    public void close() {
        stopClaiming();
        try {
            // A claim in flight when the stop came still starts its job, which then gets the grace like the others.
            claimLoop.join();
            jobs.shutdown();
            if (!jobs.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                running.values().forEach(JobAttempt::interrupt);
                jobs.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heartbeats.shutdownNow();
        }
    }
}
