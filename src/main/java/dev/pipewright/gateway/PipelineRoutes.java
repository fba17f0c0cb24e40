package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.cache.CacheDirectives;
import dev.pipewright.cache.CacheKey;
import dev.pipewright.cache.CacheLookup;
import dev.pipewright.cache.CacheOutcome;
import dev.pipewright.cache.CachedResponse;
import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.cost.BudgetBook;
import dev.pipewright.gateway.auth.Tenants;
import dev.pipewright.gateway.ratelimit.TokenUsage;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineInputException;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.release.ReleaseHooks;
import dev.pipewright.release.ServedRun;
import dev.pipewright.router.Variant;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** {@code POST /v1/pipelines/{name}}: runs a pipeline synchronously and answers with its result. */
final class PipelineRoutes {
    private static final Set<String> FIELDS = Set.of("input");
    private static final HeaderName CACHE_HEADER = HeaderNames.create(CacheOutcome.HEADER);
    private static final HeaderName VARIANT_HEADER = HeaderNames.create("x-pipewright-variant");

    private final Supplier<PipewrightConfig> config;
    private final PipelineExecutor executor;
    private final JsonBodies bodies;
    private final ResponseCaching caching;
    private final BudgetAdmission budgets;
    private final ReleaseHooks release;

    PipelineRoutes(Supplier<PipewrightConfig> config, PipelineExecutor executor, JsonBodies bodies) {
        this(config, executor, bodies, ResponseCaching.off());
    }

    /**
     * Successful, complete results are cached by (tenant, pipeline version, input): a degraded result is never
     * stored, and a hit answers with the stored result under this request's id. A deployed pipeline runs the
     * variant {@code release} picks; its version keys the cache, and {@code release} hears of every run served.
     */
    PipelineRoutes(
            Supplier<PipewrightConfig> config, PipelineExecutor executor, JsonBodies bodies, ResponseCaching caching) {
        this(config, executor, bodies, caching, noBudgets(bodies), ReleaseHooks.NONE);
    }

    /**
     * Routes whose requests meet their budgets before they run (see {@link BudgetAdmission}) and run the variant
     * {@code release} picks.
     */
    PipelineRoutes(
            Supplier<PipewrightConfig> config,
            PipelineExecutor executor,
            JsonBodies bodies,
            ResponseCaching caching,
            BudgetAdmission budgets,
            ReleaseHooks release) {
        this.config = config;
        this.executor = executor;
        this.bodies = bodies;
        this.caching = caching;
        this.budgets = budgets;
        this.release = release;
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
        JsonNode input = inputOf(bodies.parse(request));
        String tenant = Tenants.of(request).name();
        Map<String, String> tags = tags(request);
        Variant variant =
                release.choose(pipeline, tenant, header -> request.headers().first(HeaderNames.create(header)));
        String version = PipelineVersion.of(variant.pipeline(), config.get()::model);
        if (!variant.name().isEmpty()) {
            response.header(VARIANT_HEADER, variant.name());
        }
        CacheLookup cache = caching.lookup(
                tenant,
                CacheKey.pipelineTarget(name, version),
                () -> input,
                CacheDirectives.parse(request.headers().first(HeaderNames.CACHE_CONTROL)));
        cache.outcome().headerValue().ifPresent(value -> response.header(CACHE_HEADER, value));
        if (cache.cached().isPresent()) {
            response.header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(withRequestId(cache.cached().get().body(), requestId));
            return;
        }
        if (!budgets.admit(tenant, name, input, tags, variant.name(), response, requestId)) {
            return;
        }
        RunContext context = RunContext.of(requestId, tenant).withTags(tags).withVariant(variant.name());
        try {
            PipelineResult result = executor.run(variant.pipeline(), input, context);
            TokenUsage.record(request, result.usage());
            byte[] body =
                    PipelineResultJson.write(result, version, variant.name()).getBytes(StandardCharsets.UTF_8);
            if (!result.isDegraded()) {
                cache.store(new CachedResponse("application/json", body));
            }
            response.header(HeaderNames.CONTENT_TYPE, "application/json").send(body);
            release.served(new ServedRun(
                    variant,
                    version,
                    tenant,
                    requestId,
                    input,
                    Optional.of(PipelineResultJson.results(result)),
                    result.latency(),
                    result.costUsd()));
        } catch (PipelineInputException e) {
            Problem.badRequest(e.getMessage()).send(response, bodies.mapper(), requestId);
        } catch (PipelineFailedException e) {
            Optional<BudgetAdmission.Rejection> refusal = budgets.refusal(e);
            if (refusal.isPresent()) {
                refusal.get().accept(response, requestId);
                return;
            }
            problemOf(e).send(response, bodies.mapper(), requestId);
            release.served(new ServedRun(
                    variant,
                    version,
                    tenant,
                    requestId,
                    input,
                    Optional.empty(),
                    e.partial().latency(),
                    e.partial().costUsd()));
        }
    }

    private static BudgetAdmission noBudgets(JsonBodies bodies) {
        return new BudgetAdmission(BudgetBook.NONE, Optional.empty(), bodies, Clock.system());
    }

    static Problem problemOf(PipelineFailedException e) {
        return new Problem(
                e.deadlineExceeded() ? 504 : 502,
                e.deadlineExceeded() ? "/problems/deadline-exceeded" : "/problems/model-failed",
                e.deadlineExceeded() ? "Pipeline deadline exceeded" : "A model call failed",
                e.getMessage());
    }

    /** A stored result as this request's answer: everything as stored but the request id, which is this one's. */
    private byte[] withRequestId(byte[] stored, String requestId) throws IOException {
        ObjectNode result = (ObjectNode) bodies.mapper().readTree(stored);
        result.put("request_id", requestId);
        return bodies.mapper().writeValueAsBytes(result);
    }

    static Map<String, String> tags(ServerRequest request) {
        try {
            return AllocationTags.of(request);
        } catch (IllegalArgumentException bad) {
            throw new BadRequestException(bad.getMessage());
        }
    }

    static JsonNode inputOf(JsonNode body) {
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
