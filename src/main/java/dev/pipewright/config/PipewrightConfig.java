package dev.pipewright.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The whole of {@code pipewright.yaml}, validated. Maps keep the order in which the file declares their keys. */
public record PipewrightConfig(
        ServerConfig server,
        StorageConfig storage,
        Optional<RedisConfig> redis,
        Map<String, ProviderConfig> providers,
        Map<String, ModelConfig> models,
        Map<String, PipelineConfig> pipelines,
        Map<String, TenantConfig> tenants,
        WebhooksConfig webhooks) {

    public PipewrightConfig {
        models = Maps.ordered(models);
        pipelines = Maps.ordered(pipelines);
        tenants = Maps.ordered(tenants);
        providers = Maps.ordered(providers);
        Objects.requireNonNull(webhooks, "webhooks");
    }

    /** A configuration with the default webhook settings: no private destination allowed, no shared secret. */
    public PipewrightConfig(
            ServerConfig server,
            StorageConfig storage,
            Optional<RedisConfig> redis,
            Map<String, ProviderConfig> providers,
            Map<String, ModelConfig> models,
            Map<String, PipelineConfig> pipelines,
            Map<String, TenantConfig> tenants) {
        this(server, storage, redis, providers, models, pipelines, tenants, WebhooksConfig.DEFAULT);
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
}
