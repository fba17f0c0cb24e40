package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.router.Readiness;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /health/ready}: 200 when the service can answer, 503 when a required model is down with no fallback
 * up or when the server is draining to stop ({@code status: draining}). The body lists every model: {@code {status: ready|unready|draining, unavailable: [alias], models: [{model, available,
 * circuit, optional, served_by, last_success, last_failure, last_error}]}}, times in ISO-8601 UTC or null.
 */
final class ReadinessRoutes {
    private final Readiness readiness;
    private final Drain drain;
    private final JsonBodies bodies;

    ReadinessRoutes(Readiness readiness, Drain drain, JsonBodies bodies) {
        this.readiness = readiness;
        this.drain = drain;
        this.bodies = bodies;
    }

    void ready(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        Readiness.Report report = readiness.report();
        boolean draining = drain.draining();
        boolean ready = report.ready() && !draining;
        ObjectNode body =
                bodies.mapper().createObjectNode().put("status", draining ? "draining" : ready ? "ready" : "unready");
        ArrayNode unavailable = body.putArray("unavailable");
        report.blocking().forEach(unavailable::add);
        ArrayNode models = body.putArray("models");
        for (Readiness.ModelStatus model : report.models()) {
            models.addObject()
                    .put("model", model.alias())
                    .put("available", model.available())
                    .put("circuit", model.circuit())
                    .put("optional", model.optional())
                    .put("served_by", model.servedBy().orElse(null))
                    .put("last_success", time(model.lastSuccess()))
                    .put("last_failure", time(model.lastFailure()))
                    .put("last_error", model.lastError().orElse(null));
        }
        response.status(ready ? 200 : 503)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(bodies.mapper().writeValueAsBytes(body));
    }

    private static String time(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }
}
