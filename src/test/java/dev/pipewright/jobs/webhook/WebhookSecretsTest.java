package dev.pipewright.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {
    private static final String CONFIG = """
            webhooks: {secret_env: SHARED_SECRET}
            tenants:
              acme: {api_keys: ["sha256:%s"], webhook_secret_env: ACME_SECRET}
              globex: {api_keys: ["sha256:%s"]}
            """.formatted("a".repeat(64), "b".repeat(64));

    @Test
    void a_tenant_signs_with_its_own_secret_else_the_shared_one() {
        // given
        PipewrightConfig config = ConfigLoader.parse(CONFIG, "t.yaml");
        WebhookSecrets secrets =
                new WebhookSecrets(() -> config, Map.of("SHARED_SECRET", "shared", "ACME_SECRET", "acme")::get);

        // then
        assertThat(secrets.of("acme"))
                .hasValueSatisfying(secret ->
                        assertThat(new String(secret, StandardCharsets.UTF_8)).isEqualTo("acme"));
        assertThat(secrets.of("globex"))
                .hasValueSatisfying(secret ->
                        assertThat(new String(secret, StandardCharsets.UTF_8)).isEqualTo("shared"));
        assertThat(secrets.problem("default")).isEmpty();
    }

    @Test
    void says_which_variable_is_unset_or_which_key_is_missing() {
        // given
        PipewrightConfig withVariables = ConfigLoader.parse(CONFIG, "t.yaml");
        PipewrightConfig without = ConfigLoader.parse("server: {port: 1}\n", "t.yaml");

        // then
        assertThat(new WebhookSecrets(() -> withVariables, Map.of("ACME_SECRET", "")::get).problem("acme"))
                .contains("the webhook signing secret of tenant 'acme' is not set: environment variable ACME_SECRET is"
                        + " empty");
        assertThat(new WebhookSecrets(() -> without, Map.<String, String>of()::get).problem("default"))
                .contains("tenant 'default' has no webhook signing secret; set webhooks.secret_env (or"
                        + " tenants.default.webhook_secret_env) in the configuration");
    }
}
