package dev.pipewright.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCall;
import dev.pipewright.telemetry.PipelineObserver;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs pipelines: the steps of a run form a DAG by {@code needs} and each starts, on its own virtual thread, as soon
 * as the steps it needs have ended. Every model call goes through the one {@link ModelCall} with the run's deadline
 * and the idempotency key {@code requestId + ":" + step}.
 *
 * <p>Rules of a run:
 *
 * <ul>
 *   <li>A step whose {@code when} is false is skipped, and so is every step that needs a skipped step.
 *   <li>An optional step that fails is degraded: listed in {@code degraded} with the error, its output null; steps
 *       that need it are skipped and listed as degraded too. Any other failed step fails the run: the running steps
 *       are interrupted and {@link PipelineFailedException} carries the steps that had ended.
 *   <li>The run's deadline is the pipeline's, from the start of the run, or the caller's when that is earlier. When
 *       it passes, running steps are interrupted; unfinished optional steps are degraded, and the run fails if a
 *       step that is not optional had not finished.
 *   <li>A step whose output is in the journal is never run again, whatever its needs and {@code when}; its output
 *       is used as if it had just finished, and it adds no usage or cost to this run (an earlier attempt paid).
 *       Every step that succeeds is recorded in the journal before any step that needs it starts.
 *   <li>Input paths that a step which always runs (no {@code when} on it or on a step it needs) renders into its
 *       system text, prompt or embedding input must be present: {@link PipelineInputException} before any call.
 * </ul>
 *
 * <p>Thread safe; one instance serves every run. Pipelines are compiled once and cached by identity, so a reloaded
 * configuration (new records) is compiled afresh.
 */
public final class PipelineExecutor {
    private static final int MAX_CACHED_PLANS = 512;

    private final ModelCall modelCall;
    private final Function<String, ModelConfig> models;
    private final Clock clock;
    private final PipelineObserver observer;
    private final Map<Identity, PipelinePlan> plans = new ConcurrentHashMap<>();

    public PipelineExecutor(ModelCall modelCall, Function<String, ModelConfig> models, Clock clock) {
        this(modelCall, models, clock, PipelineObserver.NONE);
    }

    /** An executor whose runs and steps {@code observer} sees start and end, for metrics and traces. */
    public PipelineExecutor(
            ModelCall modelCall, Function<String, ModelConfig> models, Clock clock, PipelineObserver observer) {
        this.modelCall = Objects.requireNonNull(modelCall, "modelCall");
        this.models = Objects.requireNonNull(models, "models");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Runs {@code pipeline} on {@code input}.
     *
     * @throws PipelineInputException when the input lacks a value a step that always runs needs
     * @throws PipelineFailedException when a step that is not optional failed or did not finish in time
     * @throws IllegalArgumentException when the pipeline itself is invalid (a cycle, an unknown step, a bad template)
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
     */
    public PipelineResult run(PipelineConfig pipeline, JsonNode input, RunContext context) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(context, "context");
        PipelinePlan plan = plan(pipeline);
        PipelineObserver.Run observed = observer.runStarted(pipeline.name(), context.tenant(), context.requestId());
        String outcome = "failed";
        try {
            plan.requireInputs(input);
            Deadline deadline = deadline(pipeline, context);
            StepRunner runner = new StepRunner(modelCall, models, clock, pipeline.name(), context, deadline);
            PipelineResult result = new PipelineRun(plan, input, context, deadline, runner, observed).execute();
            outcome = result.isDegraded() ? "degraded" : "succeeded";
            return result;
        } catch (PipelineInputException e) {
            outcome = "invalid_input";
            throw e;
        } finally {
            observed.ended(outcome);
        }
    }

    /**
     * Checks {@code pipeline} as {@link #run} would, without running it, so that a configuration can be rejected
     * when it is loaded.
     *
     * @throws IllegalArgumentException naming the step and the problem
     */
    public void check(PipelineConfig pipeline) {
        plan(pipeline);
    }

    private PipelinePlan plan(PipelineConfig pipeline) {
        Identity key = new Identity(Objects.requireNonNull(pipeline, "pipeline"));
        PipelinePlan plan = plans.get(key);
        if (plan != null) {
            return plan;
        }
        if (plans.size() >= MAX_CACHED_PLANS) {
            // Only reloads create new pipeline records; dropping plans of replaced configurations bounds the cache.
            plans.clear();
        }
        return plans.computeIfAbsent(key, ignored -> PipelinePlan.compile(pipeline));
    }

    private Deadline deadline(PipelineConfig pipeline, RunContext context) {
        Deadline own = Deadline.after(pipeline.deadline(), clock);
        return context.deadline()
                .filter(callers -> callers.remaining().compareTo(own.remaining()) < 0)
                .orElse(own);
    }
}
