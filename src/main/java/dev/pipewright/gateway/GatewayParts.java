package dev.pipewright.gateway;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.telemetry.PrometheusMetrics;
import dev.pipewright.telemetry.Telemetry;
import dev.pipewright.telemetry.Tracing;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the gateway serves with: the configuration and executor of the native routes, the access filter in front of
 * every route but health and metrics, the model call behind the compatible routes (none: they are not served), the
 * router, readiness and cache, the telemetry requests record to, and the job store behind the async job routes (none:
 * they are not served). The composition root builds every part so
 * that the routes share their state with the model calls; {@link #defaults} is a gateway on its own.
 */
public record GatewayParts(
        Supplier<PipewrightConfig> config,
        PipelineExecutor executor,
        AccessFilter access,
        Optional<ModelCall> modelCall,
        RoutingFeatures routing,
        Telemetry telemetry,
        Optional<JobsApi> jobs,
        ReleaseParts release) {

    public GatewayParts {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(modelCall, "modelCall");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(release, "release");
    }

    /** Parts without releases: every pipeline served by its one version. */
    public GatewayParts(
            Supplier<PipewrightConfig> config,
            PipelineExecutor executor,
            AccessFilter access,
            Optional<ModelCall> modelCall,
            RoutingFeatures routing,
            Telemetry telemetry,
            Optional<JobsApi> jobs) {
        this(config, executor, access, modelCall, routing, telemetry, jobs, ReleaseParts.NONE);
    }

    /**
     * Keys from the configuration and {@code PIPEWRIGHT_MASTER_KEY}, limits held in this process, no compatible
     * routes, no cache, readiness that sees every circuit closed, and metrics of its own with no trace export.
     */
    public static GatewayParts defaults(Supplier<PipewrightConfig> config, PipelineExecutor executor) {
        return new GatewayParts(
                config,
                executor,
                AccessFilter.fromConfig(config),
                Optional.empty(),
                RoutingFeatures.basic(config, executor),
                new Telemetry(new PrometheusMetrics(), Tracing.off(), Clock.system()),
                Optional.empty());
    }

    public GatewayParts withAccess(AccessFilter access) {
        return new GatewayParts(config, executor, access, modelCall, routing, telemetry, jobs, release);
    }

    public GatewayParts withModelCall(ModelCall modelCall) {
        return new GatewayParts(config, executor, access, Optional.of(modelCall), routing, telemetry, jobs, release);
    }

    public GatewayParts withRouting(RoutingFeatures routing) {
        return new GatewayParts(config, executor, access, modelCall, routing, telemetry, jobs, release);
    }

    public GatewayParts withTelemetry(Telemetry telemetry) {
        return new GatewayParts(config, executor, access, modelCall, routing, telemetry, jobs, release);
    }

    public GatewayParts withJobs(JobsApi jobs) {
        return new GatewayParts(config, executor, access, modelCall, routing, telemetry, Optional.of(jobs), release);
    }

    public GatewayParts withRelease(ReleaseParts release) {
        return new GatewayParts(config, executor, access, modelCall, routing, telemetry, jobs, release);
    }
}
