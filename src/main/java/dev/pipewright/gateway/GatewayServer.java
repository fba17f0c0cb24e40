package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.cost.BudgetBook;
import dev.pipewright.gateway.console.Console;
import dev.pipewright.gateway.console.ConsoleSources;
import dev.pipewright.gateway.console.ConsoleViews;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.telemetry.PrometheusMetrics;
import dev.pipewright.telemetry.Telemetry;
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

    /** A gateway on its own: see {@link GatewayParts#defaults}. */
    public static GatewayServer start(
            String host, int port, Supplier<PipewrightConfig> config, PipelineExecutor executor) {
        return start(host, port, GatewayParts.defaults(config, executor));
    }

    /** Serves every route {@code parts} makes possible; the caller owns the parts and closes what needs closing. */
    public static GatewayServer start(String host, int port, GatewayParts parts) {
        return start(host, port, parts, ConsoleViews.none());
    }

    /** As {@link #start(String, int, GatewayParts)}, with the console's pages of costs and deployments. */
    public static GatewayServer start(String host, int port, GatewayParts parts, ConsoleViews consoleViews) {
        Supplier<PipewrightConfig> config = parts.config();
        RoutingFeatures features = parts.routing();
        Telemetry telemetry = parts.telemetry();
        JsonBodies bodies = new JsonBodies();
        PipelineRoutes pipelines = new PipelineRoutes(
                config,
                parts.executor(),
                bodies,
                features.caching(),
                new BudgetAdmission(
                        parts.costs().map(CostsApi::budgets).orElse(BudgetBook.NONE),
                        parts.jobs(),
                        bodies,
                        Clock.system()),
                parts.release().hooks());
        RouterRoutes router = new RouterRoutes(config, features.pipelineRouter(), bodies);
        ReadinessRoutes readiness =
                new ReadinessRoutes(features.readiness(), parts.operations().drain(), bodies);
        OperationsRoutes operations = new OperationsRoutes(parts.operations(), bodies);
        Optional<CompatibleExchange> compatible = parts.modelCall()
                .map(call -> new CompatibleExchange(
                        config,
                        call,
                        bodies,
                        Clock.system(),
                        COMPATIBLE_CALL_DEADLINE,
                        features.modelRouter(),
                        new CompatibleCache(features.caching())));
        Optional<JobRoutes> jobRoutes = parts.jobs()
                .map(api -> new JobRoutes(config, api, bodies, parts.release().hooks()));
        Optional<CostRoutes> costRoutes = parts.costs().map(api -> new CostRoutes(api, bodies, Clock.system()));
        Console console = new Console(new ConsoleSources(
                config,
                parts.access().keys(),
                parts.access(),
                parts.executor(),
                features.readiness(),
                telemetry.registry(),
                parts.jobs(),
                withReleases(withCosts(consoleViews, parts.costs(), bodies), parts.release()),
                Clock.system()));
        Optional<DeploymentRoutes> deployments =
                parts.release().control().map(control -> new DeploymentRoutes(control, bodies));
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                // Without TCP_NODELAY each small write after the first (an SSE event, an HTTP/2 DATA frame after its
                // HEADERS) waits for the client's delayed ACK: up to 40 ms a piece.
                .connectionOptions(options -> options.tcpNoDelay(true))
                // Plain sockets: one 8 KB read buffer a connection where NIO sockets hold a read and a write buffer
                // of 8 KB each, for the same CPU per request (measured side by side); an open stream costs 8 KB less.
                .useNio(false)
                .maxPayloadSize(MAX_BODY_BYTES)
                .shutdownHook(false)
                .routing(routing -> {
                    routing.addFilter(new RequestTelemetry(telemetry, Clock.system()));
                    routing.addFilter(new OperationsFilter(parts.operations()));
                    routing.addFilter(parts.access());
                    // Open to scrapers without a key: the metrics carry no secret and no per-user value.
                    routing.get(
                            "/metrics",
                            (request, response) -> response.header(
                                            HeaderNames.CONTENT_TYPE, PrometheusMetrics.CONTENT_TYPE)
                                    .send(telemetry.metrics().scrape()));
                    compatible.ifPresent(exchange -> {
                        new OpenAiCompatibleRoutes(exchange).register(routing);
                        new AnthropicCompatibleRoutes(exchange).register(routing);
                    });
                    jobRoutes.ifPresent(jobs -> jobRoutes(routing, bodies, jobs));
                    operationsRoutes(routing, bodies, parts.operations(), operations);
                    costRoutes.ifPresent(costs -> routing.get("/v1/costs", handle(bodies, costs::costs))
                            .get("/v1/budgets", handle(bodies, costs::budgets)));
                    deployments.ifPresent(routes -> deploymentRoutes(routing, bodies, routes));
                    console.register(routing);
                    routes(routing, bodies, pipelines, router, readiness);
                })
                .build()
                .start();
        return new GatewayServer(server);
    }

    /** The console's deployment pages read and act through the same control as {@code /v1/deployments}. */
    /** The console's cost pages read the same ledger and budgets as {@code /v1/costs} and {@code /v1/budgets}. */
    private static ConsoleViews withCosts(ConsoleViews views, Optional<CostsApi> costs, JsonBodies bodies) {
        if (views.costs().isPresent() || costs.isEmpty()) {
            return views;
        }
        return views.withCosts(new LedgerCostsView(costs.get(), bodies));
    }

    private static ConsoleViews withReleases(ConsoleViews views, ReleaseParts release) {
        if (views.deployments().isPresent() || release.control().isEmpty()) {
            return views;
        }
        return views.withDeployments(
                new ControlDeploymentsView(release.control().get()));
    }

    private static void jobRoutes(HttpRules rules, JsonBodies bodies, JobRoutes jobs) {
        rules.post("/v1/jobs", handle(bodies, jobs::submit))
                .get("/v1/jobs", handle(bodies, jobs::list))
                .get("/v1/jobs/{id}", handle(bodies, jobs::show))
                .delete("/v1/jobs/{id}", handle(bodies, jobs::cancel))
                .get("/v1/dlq", handle(bodies, jobs::deadLetters))
                .post("/v1/dlq/{id}/replay", handle(bodies, jobs::replay));
    }

    private static void operationsRoutes(
            HttpRules rules, JsonBodies bodies, Operations parts, OperationsRoutes operations) {
        if (parts.admin().isPresent()) {
            rules.post("/admin/reload", handle(bodies, operations::reload))
                    .get("/admin/config", handle(bodies, operations::config));
        }
        if (parts.schedules().isPresent()) {
            rules.get("/v1/schedules", handle(bodies, operations::schedules))
                    .post("/v1/schedules/{name}/run", handle(bodies, operations::runSchedule));
        }
    }

    private static void deploymentRoutes(HttpRules rules, JsonBodies bodies, DeploymentRoutes deployments) {
        rules.get("/v1/deployments", handle(bodies, deployments::list))
                .get("/v1/deployments/{name}", handle(bodies, deployments::show))
                .post("/v1/deployments/{name}/feedback", handle(bodies, deployments::feedback))
                .post("/v1/deployments/{name}/{action}", handle(bodies, deployments::act));
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
