package dev.pipewright.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A tenant: its API keys (as {@code sha256:HEX} hashes only), rate limits, budget and the environment variable that
 * holds its webhook signing secret.
 */
public record TenantConfig(
        String name,
        List<String> apiKeyHashes,
        OptionalInt rpm,
        OptionalInt tpm,
        Optional<Budget> budget,
        Optional<String> webhookSecretEnv) {
    public TenantConfig {
        apiKeyHashes = List.copyOf(apiKeyHashes);
    }

    /** A tenant that signs webhooks with the shared secret of {@code webhooks.secret_env}. */
    public TenantConfig(
            String name, List<String> apiKeyHashes, OptionalInt rpm, OptionalInt tpm, Optional<Budget> budget) {
        this(name, apiKeyHashes, rpm, tpm, budget, Optional.empty());
    }
}
