package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.Tenants;
import dev.pipewright.gateway.ratelimit.TokenUsage;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineInputException;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.pipeline.RunContext;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Supplier;

/** {@code POST /v1/pipelines/{name}}: runs a pipeline synchronously and answers with its result. */
final class PipelineRoutes {
    private static final Set<String> FIELDS = Set.of("input");

    private final Supplier<PipewrightConfig> config;
    private final PipelineExecutor executor;
    private final JsonBodies bodies;

    PipelineRoutes(Supplier<PipewrightConfig> config, PipelineExecutor executor, JsonBodies bodies) {
        this.config = config;
        this.executor = executor;
        this.bodies = bodies;
    }

    void run(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        String name = request.path().pathParameters().get("name");
        PipelineConfig pipeline = config.get().pipelines().get(name);
        if (pipeline == null) {
            Problem.notFound("no pipeline named '" + name + "'; known: "
                            + String.join(", ", config.get().pipelines().keySet()))
                    .send(response, bodies.mapper(), requestId);
            return;
        }
        JsonNode input = inputOf(
                bodies.parse(request.content().hasEntity() ? request.content().as(byte[].class) : new byte[0]));
        try {
            PipelineResult result = executor.run(
                    pipeline,
                    input,
                    RunContext.of(requestId, Tenants.of(request).name()));
            TokenUsage.record(request, result.usage());
            String version = PipelineVersion.of(pipeline, config.get()::model);
            response.header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(PipelineResultJson.write(result, version).getBytes(StandardCharsets.UTF_8));
        } catch (PipelineInputException e) {
            Problem.badRequest(e.getMessage()).send(response, bodies.mapper(), requestId);
        } catch (PipelineFailedException e) {
            new Problem(
                            e.deadlineExceeded() ? 504 : 502,
                            e.deadlineExceeded() ? "/problems/deadline-exceeded" : "/problems/model-failed",
                            e.deadlineExceeded() ? "Pipeline deadline exceeded" : "A model call failed",
                            e.getMessage())
                    .send(response, bodies.mapper(), requestId);
        }
    }

    private static JsonNode inputOf(JsonNode body) {
        if (!body.isObject()) {
            throw new BadRequestException("the request body must be a JSON object like {\"input\": {...}}, but was "
                    + body.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new BadRequestException("unknown field '" + field + "'; allowed: input");
            }
        }
        JsonNode input = body.get("input");
        if (input == null || !input.isObject()) {
            throw new BadRequestException("input: expected a JSON object with the pipeline's inputs");
        }
        return input;
    }
}
