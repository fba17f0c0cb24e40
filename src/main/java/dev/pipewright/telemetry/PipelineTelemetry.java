package dev.pipewright.telemetry;

import dev.pipewright.model.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Metrics and spans of pipeline runs:
 *
 * <ul>
 *   <li>{@code pipewright.pipeline.duration} (histogram; pipeline, outcome) and a span per run, a child of the span
 *       current when the run started (the request's, or a job's restored trace).
 *   <li>{@code pipewright.pipeline.step.duration} (histogram; pipeline, step, outcome) and a span per step, a child
 *       of the run's span; it is current on the step's thread while the step runs, so the model attempt spans hang
 *       under it.
 * </ul>
 *
 * <p>While a step runs, its thread's logging context carries {@code request_id}, {@code trace_id}, {@code tenant},
 * {@code pipeline}, {@code step} and {@code model}, so log lines of the step's model calls can be followed.
 */
public final class PipelineTelemetry implements PipelineObserver {
    static final AttributeKey<String> PIPELINE = AttributeKey.stringKey("pipewright.pipeline");
    static final AttributeKey<String> STEP = AttributeKey.stringKey("pipewright.step");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("pipewright.tenant");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("pipewright.outcome");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("pipewright.request_id");

    private final MeterRegistry registry;
    private final Tracer tracer;
    private final Clock clock;

    public PipelineTelemetry(MeterRegistry registry, Tracer tracer, Clock clock) {
        this.registry = Objects.requireNonNull(registry);
        this.tracer = Objects.requireNonNull(tracer);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public Run runStarted(String pipeline, String tenant, String requestId) {
        Span span = tracer.spanBuilder("pipeline " + pipeline)
                .setAttribute(PIPELINE, pipeline)
                .setAttribute(TENANT, tenant)
                .setAttribute(REQUEST_ID, requestId)
                .startSpan();
        return new ObservedRun(pipeline, tenant, requestId, Context.current().with(span), span, clock.nanoTime());
    }

    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .serviceLevelObjectives(ModelCallMetrics.SLO_BUCKETS)
                .register(registry);
    }

    private static void end(Span span, String outcome) {
        span.setAttribute(OUTCOME, outcome);
        if (outcome.equals("failed")) {
            span.setStatus(StatusCode.ERROR, outcome);
        }
        span.end();
    }

    private final class ObservedRun implements Run {
        private final String pipeline;
        private final String tenant;
        private final String requestId;
        private final Context context;
        private final Span span;
        private final long start;

        ObservedRun(String pipeline, String tenant, String requestId, Context context, Span span, long start) {
            this.pipeline = pipeline;
            this.tenant = tenant;
            this.requestId = requestId;
            this.context = context;
            this.span = span;
            this.start = start;
        }

        @Override
        public Step stepStarted(String step, String model) {
            Span stepSpan = tracer.spanBuilder("step " + step)
                    .setParent(context)
                    .setAttribute(PIPELINE, pipeline)
                    .setAttribute(STEP, step)
                    .setAttribute(ModelAttemptSpans.ALIAS, model)
                    .startSpan();
            Scope current = stepSpan.makeCurrent();
            LogContext.put(requestId, tenant, pipeline, step, model);
            long stepStart = clock.nanoTime();
            return outcome -> {
                LogContext.clear();
                current.close();
                end(stepSpan, outcome);
                timer(
                                "pipewright.pipeline.step.duration",
                                "Time of one pipeline step, its model call included",
                                "pipeline",
                                pipeline,
                                "step",
                                step,
                                "outcome",
                                outcome)
                        .record(clock.nanoTime() - stepStart, TimeUnit.NANOSECONDS);
            };
        }

        @Override
        public void ended(String outcome) {
            end(span, outcome);
            timer("pipewright.pipeline.duration", "Time of one pipeline run", "pipeline", pipeline, "outcome", outcome)
                    .record(clock.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
