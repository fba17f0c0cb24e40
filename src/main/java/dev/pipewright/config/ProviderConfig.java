package dev.pipewright.config;

import java.net.URI;
import java.util.Optional;

/**
 * A provider endpoint. The API key is never held in config, only the name of the environment variable that holds it.
 */
public record ProviderConfig(String name, ProviderKind kind, Optional<String> apiKeyEnv, Optional<URI> baseUrl) {}
