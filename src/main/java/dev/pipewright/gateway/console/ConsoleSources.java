package dev.pipewright.gateway.console;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.JobsApi;
import dev.pipewright.gateway.TenantLimits;
import dev.pipewright.gateway.auth.KeyVerifier;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.router.Readiness;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the console reads from and acts through: the same configuration, keys, rate limits, executor, readiness,
 * meters and job store as the JSON routes, so the pages and the API never disagree.
 */
public record ConsoleSources(
        Supplier<PipewrightConfig> config,
        KeyVerifier keys,
        TenantLimits limits,
        PipelineExecutor executor,
        Readiness readiness,
        MeterRegistry registry,
        Optional<JobsApi> jobs,
        ConsoleViews views,
        Clock clock) {
    public ConsoleSources {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(views, "views");
        Objects.requireNonNull(clock, "clock");
    }
}
