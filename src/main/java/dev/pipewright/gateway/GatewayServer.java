package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
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

    /** How long a proxied model call (with its retries and fallbacks) may take in all. */
    public static final Duration COMPATIBLE_CALL_DEADLINE = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final WebServer server;

    private GatewayServer(WebServer server) {
        this.server = server;
    }

    /**
     * Starts with keys from the configuration and {@code PIPEWRIGHT_MASTER_KEY}, limits held in this process, no
     * compatible routes, no cache, and readiness that sees every circuit closed.
     */
    public static GatewayServer start(
            String host, int port, Supplier<PipewrightConfig> config, PipelineExecutor executor) {
        return start(
                host,
                port,
                config,
                executor,
                AccessFilter.fromConfig(config),
                Optional.empty(),
                RoutingFeatures.basic(config, executor));
    }

    /** Also serves the OpenAI- and Anthropic-compatible routes, whose calls go through {@code modelCall}. */
    public static GatewayServer start(
            String host,
            int port,
            Supplier<PipewrightConfig> config,
            PipelineExecutor executor,
            AccessFilter access,
            ModelCall modelCall) {
        return start(
                host, port, config, executor, access, Optional.of(modelCall), RoutingFeatures.basic(config, executor));
    }

    /** With the router, readiness and cache of {@code features}, and no compatible routes. */
    public static GatewayServer start(
            String host,
            int port,
            Supplier<PipewrightConfig> config,
            PipelineExecutor executor,
            RoutingFeatures features) {
        return start(host, port, config, executor, AccessFilter.fromConfig(config), Optional.empty(), features);
    }

    /**
     * Every route: {@code access} (authentication and rate limits) in front of all but health and metrics, the
     * compatible routes when {@code modelCall} is given, and the router, readiness and cache of {@code features}.
     */
    public static GatewayServer start(
            String host,
            int port,
            Supplier<PipewrightConfig> config,
            PipelineExecutor executor,
            AccessFilter access,
            Optional<ModelCall> modelCall,
            RoutingFeatures features) {
        JsonBodies bodies = new JsonBodies();
        PipelineRoutes pipelines = new PipelineRoutes(config, executor, bodies, features.caching());
        RouterRoutes router = new RouterRoutes(config, features.pipelineRouter(), bodies);
        ReadinessRoutes readiness = new ReadinessRoutes(features.readiness(), bodies);
        Optional<CompatibleExchange> compatible = modelCall.map(call -> new CompatibleExchange(
                config, call, bodies, Clock.system(), COMPATIBLE_CALL_DEADLINE, features.modelRouter()));
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .maxPayloadSize(MAX_BODY_BYTES)
                .shutdownHook(false)
                .routing(routing -> {
                    routing.addFilter(access);
                    compatible.ifPresent(exchange -> {
                        new OpenAiCompatibleRoutes(exchange).register(routing);
                        new AnthropicCompatibleRoutes(exchange).register(routing);
                    });
                    routes(routing, bodies, pipelines, router, readiness);
                })
                .build()
                .start();
        return new GatewayServer(server);
    }

    private static void routes(
            HttpRules rules,
            JsonBodies bodies,
            PipelineRoutes pipelines,
            RouterRoutes router,
            ReadinessRoutes readiness) {
        rules.get("/health/live", handle(bodies, (request, response, id) -> {
                    ObjectNode body = bodies.mapper().createObjectNode().put("status", "UP");
                    response.header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send(bodies.mapper().writeValueAsBytes(body));
                }))
                .get("/health/ready", handle(bodies, readiness::ready))
                .post("/v1/route", handle(bodies, router::route))
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
