package dev.pipewright.release;

import dev.pipewright.config.CandidateConfig;
import dev.pipewright.config.DeploymentConfig;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StickyKey;
import dev.pipewright.jobs.JobRunListener;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.router.Variant;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Release engineering at run time: picks the variant of each run of a deployed pipeline (sticky A/B and canary
 * shares from the shared store), observes every served run and every job attempt's run, mirrors shadow copies,
 * records requests for replay, and moves canaries along. {@link #tick} does the background work once: write what was
 * observed, re-read the shared rollouts, analyse the canaries, prune old rows; {@link #startBackground} runs it every
 * {@code interval}. Thread safe.
 */
public final class Releases implements ReleaseHooks, JobRunListener, AutoCloseable {
    /** How long observations are kept for canary analysis. */
    static final Duration OBSERVATION_RETENTION = Duration.ofDays(7);

    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    /** How long {@link #close} waits for shadow runs in flight, before and after interrupting them. */
    private static final Duration SHADOW_GRACE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(Releases.class);

    private final ReleaseStore store;
    private final Supplier<PipewrightConfig> config;
    private final Clock clock;
    private final RandomGenerator random;
    private final RolloutBook book;
    private final ReleaseWriter writer;
    private final CanaryController controller;
    private final DeploymentControl control;
    private final ShadowMirror shadow;
    private final ReleaseMeters meters;
    private final ExecutorService shadowThreads;
    private ScheduledExecutorService background;
    private Instant prunedAt = Instant.MIN;

    public Releases(
            ReleaseStore store,
            Supplier<PipewrightConfig> config,
            PipelineExecutor executor,
            MeterRegistry registry,
            Clock clock,
            RandomGenerator random) {
        this(store, config, executor, registry, clock, random, Executors.newVirtualThreadPerTaskExecutor());
    }

    /** As above, with shadow runs handed to {@code shadowThreads} (a virtual thread each in production). */
    Releases(
            ReleaseStore store,
            Supplier<PipewrightConfig> config,
            PipelineExecutor executor,
            MeterRegistry registry,
            Clock clock,
            RandomGenerator random,
            ExecutorService shadowThreads) {
        this.shadowThreads = shadowThreads;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.book = new RolloutBook(store, config, clock);
        this.writer = new ReleaseWriter(store);
        this.controller = new CanaryController(store, book, config, clock);
        this.control = new DeploymentControl(store, book, config, clock, writer);
        this.meters = new ReleaseMeters(registry);
        this.shadow = new ShadowMirror(executor, store, clock, shadowThreads, meters);
        book.refresh();
    }

    /** Runs {@link #tick} every {@code interval} on a thread of its own until closed. */
    public Releases startBackground(Duration interval) {
        background = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("pipewright-releases").factory());
        background.scheduleWithFixedDelay(
                this::tickQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public DeploymentControl control() {
        return control;
    }

    public ReleaseStore store() {
        return store;
    }

    @Override
    public Variant choose(PipelineConfig stable, String tenant, Function<String, Optional<String>> headers) {
        DeploymentConfig deployment = config.get().deployments().get(stable.name());
        if (deployment == null) {
            return Variant.only(stable);
        }
        String key = switch (deployment.sticky()) {
            case StickyKey.Tenant ignored -> tenant;
            case StickyKey.Header header -> headers.apply(header.name()).orElse(tenant);
        };
        for (CandidateConfig candidate : deployment.candidates().values()) {
            if (book.rollout(deployment, candidate).state() == RolloutState.PROMOTED) {
                return new Variant(candidate.name(), candidate.pipeline());
            }
        }
        double place = StickyBuckets.percentOf(deployment.name(), key);
        double upper = 0;
        for (CandidateConfig candidate : deployment.candidates().values()) {
            upper += book.weight(deployment, candidate);
            if (place < upper) {
                return new Variant(candidate.name(), candidate.pipeline());
            }
        }
        return new Variant(Variant.STABLE, stable);
    }

    @Override
    public void served(ServedRun run) {
        String pipeline = run.variant().pipeline().name();
        double cost = run.costUsd().doubleValue();
        DeploymentConfig deployment = config.get().deployments().get(pipeline);
        if (deployment == null) {
            return;
        }
        meters.served(pipeline, run.variant().name(), run.failed(), run.latency(), cost);
        Instant now = clock.instant();
        writer.observe(new ObservedRun(
                pipeline,
                run.variant().name(),
                run.version(),
                run.requestId(),
                now,
                new Observation(run.failed(), run.latency().toMillis(), cost, OptionalDouble.empty())));
        deployment.recording().ifPresent(recording -> {
            if (random.nextDouble() < recording.share()) {
                writer.record(new Recording(
                        pipeline,
                        now,
                        run.requestId(),
                        run.tenant(),
                        run.variant().name(),
                        run.version(),
                        run.input().toString(),
                        run.results().map(Object::toString),
                        run.failed(),
                        run.latency().toMillis(),
                        cost));
            }
        });
        deployment.shadow().ifPresent(settings -> {
            if (!run.variant().isCandidate() && !run.failed() && random.nextDouble() < settings.share()) {
                deployment
                        .candidate(settings.candidate())
                        .ifPresent(candidate -> shadow.mirror(
                                settings, candidate, RolloutBook.versionOf(config.get(), candidate.pipeline()), run));
            }
        });
    }

    /** A job attempt's run counts as a served run of its variant: canary analysis sees asynchronous traffic too. */
    @Override
    public void finished(JobRunListener.Run run) {
        served(new ServedRun(
                new Variant(run.variant(), run.pipeline()),
                run.version(),
                run.tenant(),
                run.jobId(),
                run.input(),
                run.results(),
                run.latency(),
                run.costUsd()));
    }

    /** The background work, once: flush, refresh, analyse, prune. */
    public synchronized void tick() {
        writer.flush();
        book.refresh();
        if (controller.analyze()) {
            book.refresh();
        }
        prune();
    }

    private void prune() {
        Instant now = clock.instant();
        if (now.isBefore(prunedAt.plus(PRUNE_EVERY))) {
            return;
        }
        prunedAt = now;
        for (DeploymentConfig deployment : config.get().deployments().values()) {
            store.prune(
                    now.minus(OBSERVATION_RETENTION),
                    deployment.name(),
                    deployment.recording().map(recording -> now.minus(recording.retention())));
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("release background work failed; it runs again shortly: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (background != null) {
            background.shutdownNow();
        }
        // Shadow runs in flight get a grace to finish and store their pairs; those still running are then interrupted,
        // so that none outlives the releases and writes to a database being closed.
        shadowThreads.shutdown();
        try {
            if (!shadowThreads.awaitTermination(SHADOW_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                shadowThreads.shutdownNow();
                shadowThreads.awaitTermination(SHADOW_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            shadowThreads.shutdownNow();
            Thread.currentThread().interrupt();
        }
        writer.flush();
    }
}
