package dev.pipewright.config;

import java.net.URI;
import java.util.Optional;

/**
 * A provider endpoint. The API key is never held in config, only the name of the environment variable that holds it.
 * {@code local} carries the settings of the in-process models and is {@link LocalModelsConfig#DEFAULT} for every other
 * kind.
 */
public record ProviderConfig(
        String name, ProviderKind kind, Optional<String> apiKeyEnv, Optional<URI> baseUrl, LocalModelsConfig local) {

    public ProviderConfig(String name, ProviderKind kind, Optional<String> apiKeyEnv, Optional<URI> baseUrl) {
        this(name, kind, apiKeyEnv, baseUrl, LocalModelsConfig.DEFAULT);
    }
}
