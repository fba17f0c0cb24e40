package dev.pipewright.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code webhooks: {allow, secret_env}}. {@code allow} lists the private or loopback destinations that webhook calls
 * may reach (everything else that is not a public address is refused); {@code secretEnv} names the environment
 * variable holding the signing secret of every tenant that has no {@code webhook_secret_env} of its own.
 */
public record WebhooksConfig(List<AllowedTarget> allow, Optional<String> secretEnv) {
    public static final WebhooksConfig DEFAULT = new WebhooksConfig(List.of(), Optional.empty());

    public WebhooksConfig {
        allow = List.copyOf(allow);
    }

    /** The variable holding {@code tenant}'s signing secret: its own, else the shared one. */
    public Optional<String> secretEnvOf(Optional<TenantConfig> tenant) {
        return tenant.flatMap(TenantConfig::webhookSecretEnv).or(() -> secretEnv);
    }
}
