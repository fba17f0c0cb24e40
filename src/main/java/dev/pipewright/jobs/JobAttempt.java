package dev.pipewright.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.CandidateConfig;
import dev.pipewright.config.DeploymentConfig;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.cost.BudgetExceededException;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.store.StoreException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claim of one job, run to its outcome on the calling thread while a heartbeat renews the lease. When a
 * heartbeat finds the lease lost (the job was taken over or cancelled), the run is interrupted and nothing more is
 * written. Writes of the outcome are retried while the database is unreachable, until the lease would have expired.
 */
final class JobAttempt {
    private static final Logger log = LoggerFactory.getLogger(JobAttempt.class);

    /** The name of a deployment's stable version, as {@code dev.pipewright.router.Variant} spells it. */
    private static final String STABLE = "stable";

    record Dependencies(
            JobStore store,
            PipelineExecutor executor,
            Supplier<PipewrightConfig> config,
            Clock clock,
            RandomGenerator random,
            WorkerSettings settings,
            ScheduledExecutorService heartbeats,
            Tracer tracer,
            JobScope scope,
            JobRunListener runs) {}

    private final Dependencies deps;
    private final ClaimedJob claimed;
    private final Job job;
    private final AtomicReference<Lease> lease;
    private volatile Thread runner;
    private volatile boolean leaseLost;

    JobAttempt(Dependencies deps, ClaimedJob claimed) {
        this.deps = deps;
        this.claimed = claimed;
        this.job = claimed.job();
        this.lease = new AtomicReference<>(claimed.lease());
    }

    /**
     * Runs the job to an outcome, under a span in the trace the job was submitted under and within the job scope
     * (entered once, so that every step runs on the configuration the attempt started on); {@code stopping} tells
     * an interruption by shutdown from a lost lease.
     */
    void run(BooleanSupplier stopping) {
        Span span = JobSpans.attempt(deps.tracer(), claimed);
        try (JobScope.Scope pinned = deps.scope().enter();
                Scope ignored = span.makeCurrent()) {
            runToOutcome(stopping, span);
        } finally {
            span.end();
        }
    }

    private void runToOutcome(BooleanSupplier stopping, Span span) {
        runner = Thread.currentThread();
        Duration every = deps.settings().heartbeat();
        // Each beat runs on its own virtual thread: one slow database call must not hold up the other jobs' beats.
        ScheduledFuture<?> heartbeat = deps.heartbeats()
                .scheduleWithFixedDelay(
                        () -> Thread.startVirtualThread(this::heartbeat),
                        every.toMillis(),
                        every.toMillis(),
                        TimeUnit.MILLISECONDS);
        try {
            String resultJson = execute();
            persist("complete", () -> deps.store().complete(lease.get(), resultJson));
        } catch (LeaseLostException e) {
            log.info("job {} attempt {}: lease lost, leaving the job to its new holder", job.id(), token());
        } catch (CancellationException e) {
            // The interrupt that cancelled the run must not also break the connection that writes the outcome.
            Thread.interrupted();
            if (leaseLost) {
                log.info("job {} attempt {}: lease lost, run abandoned", job.id(), token());
            } else if (stopping.getAsBoolean()) {
                persist("release", () -> deps.store().release(lease.get()));
            }
        } catch (RuntimeException e) {
            Thread.interrupted();
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            settleFailure(e);
        } finally {
            heartbeat.cancel(false);
            Thread.interrupted();
        }
    }

    void interrupt() {
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private String execute() {
        PipewrightConfig config = deps.config().get();
        PipelineConfig stable = config.pipelines().get(job.pipeline());
        if (stable == null) {
            throw new UnknownPipelineException(job.id(), job.pipeline());
        }
        String variant = variant(config);
        PipelineConfig pipeline = Optional.ofNullable(config.deployments().get(job.pipeline()))
                .flatMap(deployment -> deployment.candidate(variant))
                .map(CandidateConfig::pipeline)
                .orElse(stable);
        RunContext context = new RunContext(
                        job.id(),
                        job.tenant(),
                        Optional.empty(),
                        new JobStepJournal(deps.store(), lease.get(), deps.clock()))
                .withTags(job.tags())
                .withVariant(variant);
        String version = PipelineVersion.of(pipeline, config::model);
        PipelineResult result;
        try {
            result = deps.executor().run(pipeline, job.input(), context);
        } catch (PipelineFailedException e) {
            if (!refusedByBudget(e)) {
                tell(variant, pipeline, version, Optional.empty(), e.partial());
            }
            throw e;
        }
        tell(variant, pipeline, version, Optional.of(PipelineResultJson.results(result)), result);
        return PipelineResultJson.write(result, version, variant);
    }

    private void tell(
            String variant, PipelineConfig pipeline, String version, Optional<JsonNode> results, PipelineResult run) {
        try {
            deps.runs()
                    .finished(new JobRunListener.Run(
                            job.id(),
                            job.tenant(),
                            job.input(),
                            variant,
                            pipeline,
                            version,
                            results,
                            run.latency(),
                            run.costUsd()));
        } catch (RuntimeException e) {
            log.warn("job {}: the run listener failed; the job's outcome is unaffected", job.id(), e);
        }
    }

    private static boolean refusedByBudget(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BudgetExceededException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The variant that runs the job: the one chosen at submit time while the deployment still has it; {@code stable}
     * when that candidate has since left the configuration, or when the job was submitted before the pipeline was
     * deployed; empty when the pipeline has no deployment.
     */
    private String variant(PipewrightConfig config) {
        DeploymentConfig deployment = config.deployments().get(job.pipeline());
        if (deployment == null) {
            return "";
        }
        if (job.variant().isEmpty() || job.variant().equals(STABLE)) {
            return STABLE;
        }
        if (deployment.candidate(job.variant()).isEmpty()) {
            log.warn(
                    "job {}: candidate '{}' of pipeline '{}' is no longer deployed; the stable version runs it",
                    job.id(),
                    job.variant(),
                    job.pipeline());
            return STABLE;
        }
        return job.variant();
    }

    private void settleFailure(RuntimeException failure) {
        FailureDecision decision = FailureDecision.decide(
                job, failure, deps.clock().instant(), deps.settings().backoff(), deps.random());
        if (decision.error().kind().equals("internal")) {
            log.warn("job {} attempt {} failed unexpectedly: {}", job.id(), token(), decision, failure);
        } else {
            log.info("job {} attempt {} failed: {}", job.id(), token(), decision);
        }
        switch (decision) {
            case FailureDecision.Retry retry ->
                persist("retry", () -> deps.store().scheduleRetry(lease.get(), retry.error(), retry.runAt()));
            case FailureDecision.Snooze snooze ->
                persist("snooze", () -> deps.store().snooze(lease.get(), snooze.error(), snooze.runAt()));
            case FailureDecision.DeadLetter dead ->
                persist("dead letter", () -> deps.store().deadLetter(lease.get(), dead.error()));
        }
    }

    private void heartbeat() {
        try {
            lease.set(deps.store().heartbeat(lease.get(), deps.settings().lease()));
        } catch (LeaseLostException e) {
            leaseLost = true;
            interrupt();
        } catch (StoreException e) {
            log.warn("job {}: heartbeat failed, trying again at the next one", job.id(), e);
        }
    }

    /**
     * Writes an outcome, trying again while the database is unreachable (a restart, a failover) for as long as the
     * lease would hold; after that another worker takes the job over and the journal keeps its finished steps.
     */
    private void persist(String what, Supplier<Job> write) {
        try {
            StoreRetry.retrying(deps.clock(), deps.settings().lease(), what + " job " + job.id(), write);
        } catch (LeaseLostException e) {
            log.info("job {} attempt {}: {} refused, the lease was lost", job.id(), token(), what);
        } catch (StoreException e) {
            log.error("job {}: could not {}; another worker will take it over", job.id(), what, e);
        }
    }

    private long token() {
        return lease.get().token();
    }
}
