package dev.pipewright.config;

import java.util.Map;
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
        Optional<CacheConfig> cache) {

    public PipewrightConfig {
        modelGroups = Maps.ordered(modelGroups);
        models = Maps.ordered(models);
        pipelines = Maps.ordered(pipelines);
        tenants = Maps.ordered(tenants);
        providers = Maps.ordered(providers);
    }

    /** A configuration without routes, model groups or a response cache. */
    public PipewrightConfig(
            ServerConfig server,
            StorageConfig storage,
            Optional<RedisConfig> redis,
            Map<String, ProviderConfig> providers,
            Map<String, ModelConfig> models,
            Map<String, PipelineConfig> pipelines,
            Map<String, TenantConfig> tenants) {
        this(
                server,
                storage,
                redis,
                providers,
                models,
                pipelines,
                tenants,
                Optional.empty(),
                Map.of(),
                Optional.empty());
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
}
