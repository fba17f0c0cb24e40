package dev.pipewright.jobs;

import dev.pipewright.telemetry.TraceParents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;

/**
 * The spans of one claimed job, in the trace it was submitted under: its stored {@code traceparent} is restored as
 * the remote parent of a {@code job claim} span (from the start of the claim that took it to its end) and of a
 * {@code job PIPELINE} span that is current while the attempt runs, so that the pipeline, its steps and every model
 * call of the attempt hang under the request that submitted the job. A job submitted outside a trace starts one.
 */
final class JobSpans {
    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("pipewright.job.id");
    static final AttributeKey<String> PIPELINE = AttributeKey.stringKey("pipewright.pipeline");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("pipewright.tenant");
    static final AttributeKey<String> WORKER = AttributeKey.stringKey("pipewright.worker");
    static final AttributeKey<Long> LEASE_TOKEN = AttributeKey.longKey("pipewright.job.lease_token");

    private JobSpans() {}

    /** The context the job was submitted under: its restored traceparent, or the root when it has none. */
    static Context submittedUnder(Job job) {
        return job.traceparent().map(TraceParents::context).orElseGet(Context::root);
    }

    /** Records the claim that took {@code claimed}, from {@code started} to {@code ended}. */
    static void claimed(Tracer tracer, ClaimedJob claimed, Instant started, Instant ended) {
        described(tracer.spanBuilder("job claim"), claimed)
                .setStartTimestamp(started)
                .startSpan()
                .end(ended);
    }

    /** Starts the span of the attempt at running {@code claimed}; the caller makes it current and ends it. */
    static Span attempt(Tracer tracer, ClaimedJob claimed) {
        return described(tracer.spanBuilder("job " + claimed.job().pipeline()), claimed)
                .setSpanKind(SpanKind.CONSUMER)
                .startSpan();
    }

    private static SpanBuilder described(SpanBuilder span, ClaimedJob claimed) {
        return span.setParent(submittedUnder(claimed.job()))
                .setAttribute(JOB_ID, claimed.job().id())
                .setAttribute(PIPELINE, claimed.job().pipeline())
                .setAttribute(TENANT, claimed.job().tenant())
                .setAttribute(WORKER, claimed.lease().workerId())
                .setAttribute(LEASE_TOKEN, claimed.lease().token());
    }
}
