package dev.pipewright.telemetry;

import java.util.List;
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

    /** Removes this class's fields from this thread's logging context. */
    public static void clear() {
        FIELDS.forEach(MDC::remove);
    }
}
