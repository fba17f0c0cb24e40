package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.router.Readiness;
import dev.pipewright.telemetry.PrometheusMetrics;
import dev.pipewright.telemetry.Telemetry;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/**
 * The operations port of a process that serves no API, such as a job worker: {@code GET /health/live},
 * {@code GET /health/ready} and {@code GET /metrics}, open like the gateway's, so that an orchestrator can probe it
 * and Prometheus can scrape it; readiness turns 503 once the process drains. Everything else is a 404.
 */
public final class OpsServer implements AutoCloseable {
    private final WebServer server;

    private OpsServer(WebServer server) {
        this.server = server;
    }

    public static OpsServer start(String host, int port, Telemetry telemetry, Readiness readiness, Drain drain) {
        JsonBodies bodies = new JsonBodies();
        ReadinessRoutes ready = new ReadinessRoutes(readiness, drain, bodies);
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                .routing(routing -> routing.get("/health/live", (request, response) -> {
                            ObjectNode body = bodies.mapper().createObjectNode().put("status", "UP");
                            response.header(HeaderNames.CONTENT_TYPE, "application/json")
                                    .send(bodies.mapper().writeValueAsBytes(body));
                        })
                        .get("/health/ready", (request, response) -> ready.ready(request, response, ""))
                        .get(
                                "/metrics",
                                (request, response) -> response.header(
                                                HeaderNames.CONTENT_TYPE, PrometheusMetrics.CONTENT_TYPE)
                                        .send(telemetry.metrics().scrape()))
                        .any((request, response) ->
                                response.status(Status.NOT_FOUND_404).send()))
                .build()
                .start();
        return new OpsServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
