package dev.pipewright.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
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

    /** The traceparent of {@code context}'s span; empty when it has no valid span. */
    public static Optional<String> of(Context context) {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return Optional.ofNullable(carrier.get(HEADER));
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
