package dev.pipewright.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.Attempt;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.pipeline.PipelinePlan.PlannedStep;
import dev.pipewright.telemetry.PipelineObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One run of a plan. A step is started on its own virtual thread as soon as every step it needs has ended; the
 * thread that ends a step releases its dependents, so nothing polls. All state changes happen under this object's
 * lock and stop once the run is over: when every step has ended, a step that is not optional failed, or the
 * deadline passed. Ending early interrupts the running steps, whose model clients stop on interruption; {@link
 * #execute} returns only after every step thread has finished, so nothing of a run outlives it.
 *
 * <p>The deadline is read from the injected clock each time a step ends or is about to start. The caller waits for
 * the end on the real clock for the time that remained when the run started, and reads the clock again only when
 * that wait runs out (a fake clock that has not moved makes it wait again). Tests with a fake clock therefore let a
 * step's model client advance the clock; the next step to end or start sees the deadline passed.
 */
final class PipelineRun {
    private static final String DEADLINE_PASSED = "the run's deadline passed before the step finished";

    private final PipelinePlan plan;
    private final RunContext context;
    private final Deadline deadline;
    private final StepRunner runner;
    private final PipelineObserver.Run observed;
    private final Map<String, StepOutput> outputs = new ConcurrentHashMap<>();
    private final TemplateScope scope;
    private final ExecutorService threads;
    private final CountDownLatch over = new CountDownLatch(1);

    // Guarded by this.
    private final StepResult[] outcomes;
    private final Degradation[] degradations;
    private final Duration[] startedAt;
    private final int[] pendingNeeds;
    private int unfinished;
    private boolean ended;
    private Failure failure;

    /** Why the run failed: {@code error} is empty for an unexpected exception, rethrown to the caller as it is. */
    private record Failure(String step, Optional<ModelError> error, Throwable cause) {}

    PipelineRun(
            PipelinePlan plan,
            JsonNode input,
            RunContext context,
            Deadline deadline,
            StepRunner runner,
            PipelineObserver.Run observed) {
        this.plan = plan;
        this.context = context;
        this.deadline = deadline;
        this.runner = runner;
        this.observed = observed;
        this.scope = new TemplateScope(input, outputs);
        int steps = plan.steps().size();
        this.outcomes = new StepResult[steps];
        this.degradations = new Degradation[steps];
        this.startedAt = new Duration[steps];
        this.pendingNeeds = new int[steps];
        this.unfinished = steps;
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("pipeline-" + plan.pipeline().name() + "-", 0)
                .factory());
    }

    /**
     * Runs every step and returns the result.
     *
     * @throws PipelineFailedException when a step that is not optional failed or did not finish in time
     * @throws CancellationException when the calling thread was interrupted; the steps are cancelled
     */
    PipelineResult execute() {
        try (threads) {
            Duration firstWait = deadline.remaining();
            start(readJournal());
            awaitEnd(firstWait);
        }
        return conclude();
    }

    private Map<Integer, StepOutput> readJournal() {
        Map<Integer, StepOutput> journaled = new HashMap<>();
        for (PlannedStep step : plan.steps()) {
            context.journal().completed(step.name()).ifPresent(output -> journaled.put(step.index(), output));
        }
        return journaled;
    }

    private synchronized void start(Map<Integer, StepOutput> journaled) {
        journaled.forEach((index, output) -> {
            String name = plan.step(index).name();
            outcomes[index] = StepResult.fromJournal(name, output);
            outputs.put(name, output);
            unfinished--;
        });
        if (unfinished == 0) {
            end(false);
            return;
        }
        List<Integer> ready = new ArrayList<>();
        for (PlannedStep step : plan.steps()) {
            if (outcomes[step.index()] == null) {
                pendingNeeds[step.index()] = (int) step.needs().stream()
                        .filter(need -> outcomes[need] == null)
                        .count();
                if (pendingNeeds[step.index()] == 0) {
                    ready.add(step.index());
                }
            }
        }
        ready.forEach(this::release);
    }

    /** Starts a step whose needs have all ended, or skips it when one of them produced no output. */
    private void release(int index) {
        if (ended) {
            return;
        }
        PlannedStep step = plan.step(index);
        Optional<Integer> unmet = unmetNeed(step);
        if (unmet.isPresent()) {
            settle(index, skipped(step, unmet.get(), runner.sinceStart()));
        } else if (deadline.expired()) {
            expire();
        } else {
            startedAt[index] = runner.sinceStart();
            Duration started = startedAt[index];
            threads.execute(() -> runStep(step, started));
        }
    }

    /** Runs {@code step} on its own thread, observed from start to end (the observer's span is current meanwhile). */
    private void runStep(PlannedStep step, Duration started) {
        PipelineObserver.Step observedStep =
                observed.stepStarted(step.name(), step.config().model());
        StepStatus status = StepStatus.FAILED;
        try {
            status = callStep(step, started);
        } finally {
            observedStep.ended(status.jsonName());
        }
    }

    private StepStatus callStep(PlannedStep step, Duration started) {
        try {
            StepResult result = runner.run(step, scope, started);
            result.output().ifPresent(output -> context.journal().record(step.name(), output));
            settle(step.index(), result);
            return result.status();
        } catch (ModelException e) {
            List<Attempt> attempts = e instanceof ModelCallException call ? call.attempts() : List.of();
            String reason = e.error().kind() + ": " + e.error().message();
            StepStatus status = step.config().optional() ? StepStatus.DEGRADED : StepStatus.FAILED;
            StepResult result =
                    StepResult.unanswered(step.name(), status, attempts, started, runner.sinceStart(), reason);
            if (step.config().optional()) {
                settle(step.index(), result);
            } else {
                fail(step.index(), result, Optional.of(e.error()), e);
            }
            return status;
        } catch (RuntimeException | Error e) {
            StepResult result = StepResult.unanswered(
                    step.name(), StepStatus.FAILED, List.of(), started, runner.sinceStart(), e.toString());
            fail(step.index(), result, Optional.empty(), e);
            return StepStatus.FAILED;
        }
    }

    /** Records how a step ended and releases the steps waiting for it. */
    private synchronized void settle(int index, StepResult result) {
        if (ended) {
            return;
        }
        record(index, result);
        if (unfinished == 0) {
            end(false);
        } else if (deadline.expired()) {
            expire();
        } else {
            for (int dependent : plan.step(index).dependents()) {
                if (--pendingNeeds[dependent] == 0) {
                    release(dependent);
                }
            }
        }
    }

    private void record(int index, StepResult result) {
        outcomes[index] = result;
        result.output().ifPresent(output -> outputs.put(result.name(), output));
        if (result.status() == StepStatus.DEGRADED
                || (result.status() == StepStatus.SKIPPED && unmetNeedDegraded(plan.step(index)))) {
            degradations[index] = new Degradation(result.name(), result.reason().orElseThrow());
        }
        unfinished--;
    }

    private synchronized void fail(int index, StepResult result, Optional<ModelError> error, Throwable cause) {
        if (ended) {
            return;
        }
        outcomes[index] = result;
        failure = new Failure(result.name(), error, cause);
        end(true);
    }

    /**
     * Ends the run at its deadline. In dependency order, each unfinished step becomes: skipped when a step it needs
     * produced no output; degraded when it is optional; otherwise failed, which fails the run. So a run whose only
     * unfinished steps are optional (and their dependents) still succeeds, degraded.
     */
    private synchronized void expire() {
        if (ended) {
            return;
        }
        Duration now = runner.sinceStart();
        ModelError error = new ModelError.DeadlineExceeded(DEADLINE_PASSED);
        for (int index : plan.order()) {
            if (outcomes[index] != null) {
                continue;
            }
            PlannedStep step = plan.step(index);
            Duration started = startedAt[index] == null ? now : startedAt[index];
            Optional<Integer> unmet = unmetNeed(step);
            if (unmet.isPresent()) {
                if (outcomes[unmet.get()] != null && outcomes[unmet.get()].status() != StepStatus.FAILED) {
                    record(index, skipped(step, unmet.get(), now));
                }
            } else if (step.config().optional()) {
                String reason = error.kind() + ": " + error.message();
                record(index, StepResult.unanswered(step.name(), StepStatus.DEGRADED, List.of(), started, now, reason));
            } else {
                outcomes[index] = StepResult.unanswered(
                        step.name(), StepStatus.FAILED, List.of(), started, now, error.kind() + ": " + error.message());
                if (failure == null) {
                    failure = new Failure(step.name(), Optional.of(error), null);
                }
            }
        }
        end(true);
    }

    private synchronized void cancel() {
        end(true);
    }

    private void end(boolean cancelRunningSteps) {
        ended = true;
        if (cancelRunningSteps) {
            threads.shutdownNow();
        }
        over.countDown();
    }

    /** The first step {@code step} needs that has not ended with an output, if any. */
    private Optional<Integer> unmetNeed(PlannedStep step) {
        for (int need : step.needs()) {
            if (outcomes[need] == null || outcomes[need].output().isEmpty()) {
                return Optional.of(need);
            }
        }
        return Optional.empty();
    }

    private boolean unmetNeedDegraded(PlannedStep step) {
        return unmetNeed(step).map(need -> degradations[need] != null).orElse(false);
    }

    private StepResult skipped(PlannedStep step, int need, Duration now) {
        String kind = degradations[need] != null ? "degraded" : "skipped";
        String reason = "needs " + kind + " step '" + plan.step(need).name() + "'";
        return StepResult.unanswered(step.name(), StepStatus.SKIPPED, List.of(), now, now, reason);
    }

    /** Waits for the end of the run; the clock is read again only after a wait of the time last remaining. */
    private void awaitEnd(Duration firstWait) {
        try {
            Duration wait = firstWait;
            while (!wait.isPositive() || !over.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                wait = deadline.remaining();
                if (!wait.isPositive()) {
                    expire();
                    return;
                }
            }
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            throw new CancellationException("the run of pipeline '"
                    + plan.pipeline().name() + "' for request " + context.requestId() + " was interrupted");
        }
    }

    private synchronized PipelineResult conclude() {
        PipelineResult result =
                Aggregation.result(context.requestId(), plan, outcomes, degradations, runner.sinceStart());
        if (failure == null) {
            return result;
        }
        if (failure.error().isPresent()) {
            throw new PipelineFailedException(
                    result, failure.step(), failure.error().get(), failure.cause());
        }
        switch (failure.cause()) {
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException("step '" + failure.step() + "' failed", failure.cause());
        }
    }
}
