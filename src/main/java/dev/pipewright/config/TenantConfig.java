package dev.pipewright.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A tenant: its API keys (as {@code sha256:HEX} hashes only), rate limits and budget. */
public record TenantConfig(
        String name, List<String> apiKeyHashes, OptionalInt rpm, OptionalInt tpm, Optional<Budget> budget) {
    public TenantConfig {
        apiKeyHashes = List.copyOf(apiKeyHashes);
    }
}
