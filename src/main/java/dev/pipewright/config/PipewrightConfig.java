package dev.pipewright.config;

import java.util.Map;
import java.util.Optional;

/** The whole of {@code pipewright.yaml}, validated. Maps keep the order in which the file declares their keys. */
public record PipewrightConfig(
        ServerConfig server,
        StorageConfig storage,
        Optional<RedisConfig> redis,
        Map<String, ProviderConfig> providers,
        Map<String, ModelConfig> models,
        Map<String, PipelineConfig> pipelines,
        Map<String, TenantConfig> tenants) {

    public PipewrightConfig {
        models = Maps.ordered(models);
        pipelines = Maps.ordered(pipelines);
        tenants = Maps.ordered(tenants);
        providers = Maps.ordered(providers);
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
