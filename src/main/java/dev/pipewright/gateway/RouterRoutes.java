package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.Tenants;
import dev.pipewright.gateway.ratelimit.TokenUsage;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineInputException;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.router.PipelineRouter;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.function.Supplier;

/**
 * {@code POST /v1/route} with {@code {"input": {...}}}: the configured router pipeline picks the pipeline, which runs
 * on the same input. The answer is the chosen pipeline's result, as {@code POST /v1/pipelines/{name}} gives it, with
 * {@code routed_to} (the pipeline) and {@code route_label} (the router's label, null when it gave none). Both runs are
 * the caller's: its tenant and allocation tags reach their ledger rows, and the tokens of both count toward its
 * tokens-per-minute limit.
 */
final class RouterRoutes {
    private final Supplier<PipewrightConfig> config;
    private final PipelineRouter router;
    private final JsonBodies bodies;

    RouterRoutes(Supplier<PipewrightConfig> config, PipelineRouter router, JsonBodies bodies) {
        this.config = config;
        this.router = router;
        this.bodies = bodies;
    }

    void route(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        if (!router.isConfigured()) {
            Problem.notFound("no routes are configured; add a routes section with the router pipeline")
                    .send(response, bodies.mapper(), requestId);
            return;
        }
        JsonNode input = PipelineRoutes.inputOf(bodies.parse(request));
        RunContext context =
                RunContext.of(requestId, Tenants.of(request).name()).withTags(PipelineRoutes.tags(request));
        try {
            PipelineRouter.Routed routed = router.route(input, context);
            TokenUsage.record(request, routed.usage());
            String version = PipelineVersion.of(routed.routedTo(), config.get()::model);
            ObjectNode body = PipelineResultJson.toJson(routed.result(), version);
            body.put("routed_to", routed.routedTo().name());
            body.put("route_label", routed.label().orElse(null));
            response.header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(bodies.mapper().writeValueAsBytes(body));
        } catch (PipelineInputException e) {
            Problem.badRequest(e.getMessage()).send(response, bodies.mapper(), requestId);
        } catch (PipelineFailedException e) {
            PipelineRoutes.problemOf(e).send(response, bodies.mapper(), requestId);
        }
    }
}
