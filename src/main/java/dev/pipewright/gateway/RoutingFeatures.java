package dev.pipewright.gateway;

import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.router.ModelHealth;
import dev.pipewright.router.ModelRouter;
import dev.pipewright.router.PipelineRouter;
import dev.pipewright.router.Readiness;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * What the gateway needs from the router and the cache: the pipeline router of {@code POST /v1/route}, the readiness
 * of {@code GET /health/ready}, and the response caching of the routes that cache. The composition root builds them
 * so that readiness sees the same circuits and health as the model calls, and the model router (which resolves the
 * model groups of the compatible routes) the same availability.
 */
public record RoutingFeatures(
        PipelineRouter pipelineRouter, Readiness readiness, ResponseCaching caching, ModelRouter modelRouter) {
    public RoutingFeatures {
        Objects.requireNonNull(modelRouter, "modelRouter");
        Objects.requireNonNull(pipelineRouter, "pipelineRouter");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(caching, "caching");
    }

    /**
     * No cache, readiness that knows of no calls and sees every circuit closed, and model groups that see every
     * member as available.
     */
    public static RoutingFeatures basic(Supplier<PipewrightConfig> config, PipelineExecutor executor) {
        ModelHealth health = new ModelHealth();
        return new RoutingFeatures(
                new PipelineRouter(config, executor),
                new Readiness(config, health, alias -> "closed"),
                ResponseCaching.off(),
                new ModelRouter(
                        config,
                        health,
                        alias -> true,
                        Clock.system(),
                        () -> ThreadLocalRandom.current().nextLong()));
    }
}
