package dev.pipewright.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;
import java.util.Optional;

/**
 * W3C {@code traceparent} strings in and out of a {@link Context}: how a trace crosses a hop that is not an HTTP call
 * made here, such as a job that waits in the queue. The submitter stores {@link #of} the current context with the
 * job; the worker continues the trace under {@link #context} of the stored string.
 */
public final class TraceParents {
    public static final String HEADER = "traceparent";

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceParents() {}

    /**
     * The traceparent of {@code context}'s span, {@code 00-TRACE_ID-SPAN_ID-FLAGS} as W3C Trace Context version 00
     * writes it; empty when it has no valid span. Written here rather than through the propagator, which needs a
     * carrier map per call, because every request and every upstream call asks for it.
     */
    public static Optional<String> of(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return Optional.empty();
        }
        return Optional.of("00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getTraceFlags().asHex());
    }

    /** The traceparent of the current span; empty outside a span. */
    public static Optional<String> current() {
        return of(Context.current());
    }

    /** A context whose remote parent is {@code traceparent}; the root context when it is malformed. */
    public static Context context(String traceparent) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(HEADER, traceparent), MAP);
    }

    /** The trace id of the current span, for logs; empty outside a valid span. */
    public static Optional<String> currentTraceId() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? Optional.of(span.getTraceId()) : Optional.empty();
    }
}
