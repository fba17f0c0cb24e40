package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.pipeline.PipelineExecutor;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front door on Helidon SE (a virtual thread per request). Every response carries {@code X-Request-Id};
 * client errors are problem+json 4xx; anything unexpected is logged with the request id and answered with a 500
 * that reveals nothing internal.
 */
public final class GatewayServer implements AutoCloseable {
    /** Request bodies above this size are refused with 413 before they are read. */
    public static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final WebServer server;

    private GatewayServer(WebServer server) {
        this.server = server;
    }

    public static GatewayServer start(
            String host, int port, Supplier<PipewrightConfig> config, PipelineExecutor executor) {
        return start(host, port, config, executor, Optional.empty());
    }

    /** A server that also serves the async job API on {@code jobs}. */
    public static GatewayServer start(
            String host, int port, Supplier<PipewrightConfig> config, PipelineExecutor executor, JobsApi jobs) {
        return start(host, port, config, executor, Optional.of(jobs));
    }

    private static GatewayServer start(
            String host,
            int port,
            Supplier<PipewrightConfig> config,
            PipelineExecutor executor,
            Optional<JobsApi> jobs) {
        JsonBodies bodies = new JsonBodies();
        PipelineRoutes pipelines = new PipelineRoutes(config, executor, bodies);
        Optional<JobRoutes> jobRoutes = jobs.map(api -> new JobRoutes(config, api, bodies));
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .maxPayloadSize(MAX_BODY_BYTES)
                .shutdownHook(false)
                .routing(routing -> routes(routing, bodies, pipelines, jobRoutes))
                .build()
                .start();
        return new GatewayServer(server);
    }

    private static void jobRoutes(HttpRules rules, JsonBodies bodies, JobRoutes jobs) {
        rules.post("/v1/jobs", handle(bodies, jobs::submit))
                .get("/v1/jobs", handle(bodies, jobs::list))
                .get("/v1/jobs/{id}", handle(bodies, jobs::show))
                .delete("/v1/jobs/{id}", handle(bodies, jobs::cancel))
                .get("/v1/dlq", handle(bodies, jobs::deadLetters))
                .post("/v1/dlq/{id}/replay", handle(bodies, jobs::replay));
    }

    private static void routes(HttpRules rules, JsonBodies bodies, PipelineRoutes pipelines, Optional<JobRoutes> jobs) {
        jobs.ifPresent(routes -> jobRoutes(rules, bodies, routes));
        rules.get("/health/live", handle(bodies, (request, response, id) -> {
                    ObjectNode body = bodies.mapper().createObjectNode().put("status", "UP");
                    response.header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send(bodies.mapper().writeValueAsBytes(body));
                }))
                .post("/v1/pipelines/{name}", handle(bodies, pipelines::run))
                .any(handle(
                        bodies,
                        (request, response, id) -> Problem.notFound("no route for "
                                        + request.prologue().method().text() + " "
                                        + request.path().path())
                                .send(response, bodies.mapper(), id)));
    }

    @FunctionalInterface
    private interface Route {
        void handle(ServerRequest request, ServerResponse response, String requestId) throws Exception;
    }

    private static Handler handle(JsonBodies bodies, Route route) {
        return (request, response) -> {
            String requestId = RequestIds.of(request);
            response.header(RequestIds.HEADER, requestId);
            try {
                route.handle(request, response, requestId);
            } catch (BadRequestException e) {
                Problem.badRequest(e.getMessage()).send(response, bodies.mapper(), requestId);
            } catch (RuntimeException e) {
                log.error("request {} failed", requestId, e);
                if (!response.isSent()) {
                    new Problem(
                                    500,
                                    "/problems/internal",
                                    "Internal error",
                                    "see the server log for request " + requestId)
                            .send(response, bodies.mapper(), requestId);
                }
            }
        };
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
