package dev.pipewright.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole of {@code pipewright.yaml}, validated. Maps keep the order in which the file declares their keys.
 * {@code routes} and {@code cache} are absent when the file leaves them out: no routed endpoint, no response cache.
 */
public record PipewrightConfig(
        ServerConfig server,
        StorageConfig storage,
        Optional<RedisConfig> redis,
        Map<String, ProviderConfig> providers,
        Map<String, ModelConfig> models,
        Map<String, PipelineConfig> pipelines,
        Map<String, TenantConfig> tenants,
        Optional<RoutesConfig> routes,
        Map<String, ModelGroupConfig> modelGroups,
        Optional<CacheConfig> cache,
        WebhooksConfig webhooks,
        TelemetryConfig telemetry,
        QueueConfig queues,
        Map<String, ScheduleConfig> schedules,
        CostsConfig costs,
        Map<String, DeploymentConfig> deployments) {

    public PipewrightConfig {
        Objects.requireNonNull(costs, "costs");
        deployments = Maps.ordered(deployments);
        modelGroups = Maps.ordered(modelGroups);
        models = Maps.ordered(models);
        pipelines = Maps.ordered(pipelines);
        tenants = Maps.ordered(tenants);
        providers = Maps.ordered(providers);
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(queues, "queues");
        schedules = Maps.ordered(schedules);
    }

    /** The tenant's configuration; empty for a tenant the file does not declare, such as {@code default}. */
    public Optional<TenantConfig> tenant(String name) {
        return Optional.ofNullable(tenants.get(name));
    }

    public ModelConfig model(String alias) {
        ModelConfig model = models.get(alias);
        if (model == null) {
            throw new IllegalArgumentException("unknown model '" + alias + "'");
        }
        return model;
    }

    public ProviderConfig providerOf(ModelConfig model) {
        return providers.get(model.provider());
    }

    /**
     * This configuration as a model service sees it: only the providers of the in-process models and their models,
     * with no pipelines, groups or routes, so the process loads and serves nothing else.
     */
    public PipewrightConfig onlyLocalModels() {
        Map<String, ProviderConfig> local = new LinkedHashMap<>();
        providers.forEach((name, provider) -> {
            if (provider.kind() == ProviderKind.LOCAL) {
                local.put(name, provider);
            }
        });
        Map<String, ModelConfig> localModels = new LinkedHashMap<>();
        models.forEach((alias, model) -> {
            if (local.containsKey(model.provider())) {
                localModels.put(alias, model.withFallbacks(List.of()));
            }
        });
        return new PipewrightConfig(
                server,
                storage,
                redis,
                local,
                localModels,
                Map.of(),
                tenants,
                Optional.empty(),
                Map.of(),
                cache,
                webhooks,
                telemetry,
                queues,
                Map.of(),
                costs,
                Map.of());
    }
}
