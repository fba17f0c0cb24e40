package dev.pipewright.telemetry;

import dev.pipewright.model.CallLabels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The correlation fields of the logging context (SLF4J's MDC), which the JSON log encoder writes as top-level fields
 * of every line. Only ids and low-risk names go here: never a key, a header or a prompt.
 */
public final class LogContext {
    public static final String REQUEST_ID = "request_id";
    public static final String TRACE_ID = "trace_id";
    public static final String TENANT = "tenant";
    public static final String PIPELINE = "pipeline";
    public static final String STEP = "step";
    public static final String MODEL = "model";

    private static final List<String> FIELDS = List.of(REQUEST_ID, TRACE_ID, TENANT, PIPELINE, STEP, MODEL);

    private LogContext() {}

    /** Sets the request id and the current trace id on this thread. */
    public static void putRequest(String requestId) {
        MDC.put(REQUEST_ID, requestId);
        TraceParents.currentTraceId().ifPresent(traceId -> MDC.put(TRACE_ID, traceId));
    }

    /** Sets every field of a pipeline step on this thread. */
    static void put(String requestId, String tenant, String pipeline, String step, String model) {
        putRequest(requestId);
        MDC.put(TENANT, tenant);
        MDC.put(PIPELINE, pipeline);
        MDC.put(STEP, step);
        MDC.put(MODEL, model);
    }

    /**
     * Sets the request id, tenant, pipeline and step of {@code labels} (those that are not blank) and the
     * {@code model} alias on this thread; closing the handle puts back what was there before.
     */
    static Restore putCall(CallLabels labels, String model) {
        Map<String, String> before = new HashMap<>();
        for (String field : FIELDS) {
            before.put(field, MDC.get(field));
        }
        putIfNotBlank(REQUEST_ID, labels.requestId());
        putIfNotBlank(TENANT, labels.tenant());
        putIfNotBlank(PIPELINE, labels.pipeline());
        putIfNotBlank(STEP, labels.step());
        putIfNotBlank(MODEL, model);
        return () -> before.forEach((field, value) -> {
            if (value == null) {
                MDC.remove(field);
            } else {
                MDC.put(field, value);
            }
        });
    }

    private static void putIfNotBlank(String field, String value) {
        if (value != null && !value.isBlank()) {
            MDC.put(field, value);
        }
    }

    /** Puts the logging context back as it was. */
    @FunctionalInterface
    interface Restore extends AutoCloseable {
        @Override
        void close();
    }

    /** Removes this class's fields from this thread's logging context. */
    public static void clear() {
        FIELDS.forEach(MDC::remove);
    }
}
