package dev.pipewright.config;

import java.net.URI;
import java.util.Optional;

/**
 * A provider endpoint. The API key is never held in config, only the name of the environment variable that holds it.
 * {@code local} carries the settings of the in-process models and is {@link LocalModelsConfig#DEFAULT} for every other
 * kind.
 */
public record ProviderConfig(
        String name,
        ProviderKind kind,
        Optional<String> apiKeyEnv,
        Optional<URI> baseUrl,
        LocalModelsConfig local,
        ProviderProtocol http) {

    public ProviderConfig {
        if (http == ProviderProtocol.H2C
                && baseUrl.map(url -> "https".equals(url.getScheme())).orElse(true)) {
            throw new IllegalArgumentException("http: h2c speaks HTTP/2 over plain TCP, so it needs an http: base_url;"
                    + " an https: endpoint negotiates h2 by itself with http: auto");
        }
    }

    public ProviderConfig(
            String name,
            ProviderKind kind,
            Optional<String> apiKeyEnv,
            Optional<URI> baseUrl,
            LocalModelsConfig local) {
        this(name, kind, apiKeyEnv, baseUrl, local, ProviderProtocol.AUTO);
    }

    public ProviderConfig(String name, ProviderKind kind, Optional<String> apiKeyEnv, Optional<URI> baseUrl) {
        this(name, kind, apiKeyEnv, baseUrl, LocalModelsConfig.DEFAULT);
    }

    public ProviderConfig withProtocol(ProviderProtocol protocol) {
        return new ProviderConfig(name, kind, apiKeyEnv, baseUrl, local, protocol);
    }
}
