package dev.pipewright.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StepConfig;

/**
 * The running configuration as {@code GET /admin/config} shows it: what runs, never a secret. API keys appear only as
 * a count, database and Redis URLs lose their user, password and query, and provider keys are named by the
 * environment variable that holds them, never by value.
 */
final class RedactedConfig {
    private RedactedConfig() {}

    static ObjectNode of(PipewrightConfig config, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.putObject("server")
                .put("host", config.server().host())
                .put("port", config.server().port())
                .put("drain_timeout", config.server().drainTimeout().toString())
                .put("watch_config", config.server().watchConfig());
        body.putObject("storage").put("url", withoutCredentials(config.storage().url()));
        config.redis()
                .ifPresent(redis -> body.putObject("redis")
                        .put("url", withoutCredentials(redis.url().toString())));
        ObjectNode providers = body.putObject("providers");
        config.providers().forEach((name, provider) -> {
            ObjectNode node =
                    providers.putObject(name).put("kind", provider.kind().name().toLowerCase(java.util.Locale.ROOT));
            provider.apiKeyEnv().ifPresent(env -> node.put("api_key_env", env));
            provider.baseUrl().ifPresent(url -> node.put("base_url", withoutCredentials(url.toString())));
        });
        ObjectNode models = body.putObject("models");
        config.models().forEach((alias, model) -> {
            ObjectNode node = models.putObject(alias)
                    .put("provider", model.provider())
                    .put("model", model.model())
                    .put("timeout", model.timeout().toString());
            model.fallbacks().forEach(node.withArray("fallbacks")::add);
        });
        ObjectNode pipelines = body.putObject("pipelines");
        config.pipelines().forEach((name, pipeline) -> {
            ObjectNode node = pipelines
                    .putObject(name)
                    .put("deadline", pipeline.deadline().toString());
            ObjectNode steps = node.putObject("steps");
            for (StepConfig step : pipeline.steps()) {
                steps.putObject(step.name()).put("model", step.model());
            }
        });
        ObjectNode tenants = body.putObject("tenants");
        config.tenants().forEach((name, tenant) -> {
            ObjectNode node = tenants.putObject(name)
                    .put("api_keys", tenant.apiKeyHashes().size());
            tenant.rpm().ifPresent(rpm -> node.put("rpm", rpm));
            tenant.tpm().ifPresent(tpm -> node.put("tpm", tpm));
        });
        return body;
    }

    /** The URL up to its host, without user, password, path parameters or query. */
    static String withoutCredentials(String url) {
        String withoutQuery = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        int scheme = withoutQuery.indexOf("//");
        int at = withoutQuery.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            return withoutQuery.substring(0, scheme + 2) + withoutQuery.substring(at + 1);
        }
        return withoutQuery;
    }
}
