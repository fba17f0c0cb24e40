package dev.pipewright.telemetry;

import static dev.pipewright.telemetry.LogField.field;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per HTTP request on the {@code pipewright.access} logger: method, the matched route pattern (never the raw
 * path, which may carry ids), status, latency and the part of it spent waiting on models, the first three also as
 * the message. The caller logs it while
 * the request's logging context (request id, trace id, tenant) is still set; in JSON form each value is a field of
 * its own. Headers and bodies are never logged.
 */
public final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("pipewright.access");

    private AccessLog() {}

    public static void record(String method, String route, int status, Duration latency, Duration modelTime) {
        log.info(
                "{} {} {}",
                method,
                route,
                status,
                field("method", method),
                field("route", route),
                field("status", status),
                field("latency_ms", latency.toMillis()),
                field("model_ms", modelTime.toMillis()));
    }
}
