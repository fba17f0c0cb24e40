package dev.pipewright.jobs.webhook;

import dev.pipewright.config.PipewrightConfig;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Each tenant's webhook signing secret, read from the environment variable the config names for it ({@code
 * tenants.NAME.webhook_secret_env}, else {@code webhooks.secret_env}) each time it is needed, so a rotated secret
 * applies to the next delivery after a config reload or restart. Secrets are only ever used as MAC keys, never
 * logged or answered.
 */
public final class WebhookSecrets {
    private final Supplier<PipewrightConfig> config;
    private final Function<String, String> environment;

    /** @param environment looks a variable up, as {@code System::getenv} does (null when unset) */
    public WebhookSecrets(Supplier<PipewrightConfig> config, Function<String, String> environment) {
        this.config = config;
        this.environment = environment;
    }

    /** The tenant's secret; empty when none is configured or its variable is unset or empty. */
    public Optional<byte[]> of(String tenant) {
        return variableOf(tenant)
                .map(environment)
                .filter(value -> !value.isEmpty())
                .map(value -> value.getBytes(StandardCharsets.UTF_8));
    }

    /** Why the tenant cannot sign webhooks, for a 400 or a failed delivery; empty when it can. */
    public Optional<String> problem(String tenant) {
        if (of(tenant).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(variableOf(tenant)
                .map(variable -> "the webhook signing secret of tenant '" + tenant + "' is not set: environment"
                        + " variable " + variable + " is empty")
                .orElse("tenant '" + tenant + "' has no webhook signing secret; set webhooks.secret_env (or"
                        + " tenants." + tenant + ".webhook_secret_env) in the configuration"));
    }

    private Optional<String> variableOf(String tenant) {
        PipewrightConfig current = config.get();
        return current.webhooks().secretEnvOf(current.tenant(tenant));
    }
}
