package dev.pipewright.gateway;

import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.router.ModelHealth;
import dev.pipewright.router.PipelineRouter;
import dev.pipewright.router.Readiness;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the gateway needs from the router and the cache: the pipeline router of {@code POST /v1/route}, the readiness
 * of {@code GET /health/ready}, and the response caching of the routes that cache. The composition root builds them
 * so that readiness sees the same circuits and health as the model calls.
 */
public record RoutingFeatures(PipelineRouter pipelineRouter, Readiness readiness, ResponseCaching caching) {
    public RoutingFeatures {
        Objects.requireNonNull(pipelineRouter, "pipelineRouter");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(caching, "caching");
    }

    /** No cache, and readiness that knows of no calls and sees every circuit closed. */
    public static RoutingFeatures basic(Supplier<PipewrightConfig> config, PipelineExecutor executor) {
        return new RoutingFeatures(
                new PipelineRouter(config, executor),
                new Readiness(config, new ModelHealth(), alias -> "closed"),
                ResponseCaching.off());
    }
}
