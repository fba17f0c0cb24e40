package dev.pipewright.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code pipewright.yaml} into {@link PipewrightConfig}. Every problem in the file is collected before failing,
 * so one {@link ConfigException} lists them all, each with its path ({@code models.classifier.retry.attempts}).
 * Stateless and safe to call from any thread, for instance to reload the file while serving.
 */
public final class ConfigLoader {
    private static final String[] SECTIONS = {
        "server",
        "storage",
        "redis",
        "providers",
        "models",
        "model_groups",
        "pipelines",
        "routes",
        "tenants",
        "cache",
        "webhooks",
        "telemetry",
        "logging",
        "queues",
        "schedules",
        "costs",
        "deployments"
    };
    private static final List<String> STORAGE_SCHEMES = List.of("jdbc:sqlite:", "jdbc:postgresql:");
    private static final List<String> REDIS_SCHEMES = List.of("redis", "rediss");

    private ConfigLoader() {}

    public static PipewrightConfig load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new ConfigException(
                    file.toString(), List.of(new ConfigProblem("(file)", "cannot be read: " + unreadable)));
        }
        return parse(yaml, file.toString());
    }

    /** @param sourceName where the text came from, for the exception's message (a file name) */
    public static PipewrightConfig parse(String yaml, String sourceName) {
        Problems problems = new Problems();
        Optional<PipewrightConfig> config =
                YamlTree.read(yaml, problems).flatMap(tree -> read(ConfigNode.root(tree, problems)));
        if (!problems.isEmpty()) {
            throw new ConfigException(sourceName, problems.all());
        }
        return config.orElseThrow(
                () -> new IllegalStateException("a config that could not be read reported no problem"));
    }

    private static Optional<PipewrightConfig> read(ConfigNode root) {
        if (root.isPresent() && root.block(SECTIONS).isEmpty()) {
            return Optional.empty();
        }
        ServerConfig server = server(root.get("server"));
        StorageConfig storage = storage(root.get("storage"));
        Optional<RedisConfig> redis = redis(root.get("redis"));
        ConfigNode providerSection = root.get("providers");
        Map<String, ProviderConfig> providers = ProvidersReader.read(providerSection);
        ConfigNode modelSection = root.get("models");
        Map<String, ModelConfig> models = new ModelsReader(providers, providerSection.keys()).read(modelSection);
        PipelinesReader pipelinesReader = new PipelinesReader(models, modelSection.keys());
        Map<String, PipelineConfig> pipelines = pipelinesReader.read(root.get("pipelines"));
        Map<String, TenantConfig> tenants = TenantsReader.read(root.get("tenants"));
        Map<String, ModelGroupConfig> groups =
                new ModelGroupsReader(models, modelSection.keys()).read(root.get("model_groups"));
        Optional<RoutesConfig> routes = new RoutesReader(pipelines, models).read(root.get("routes"));
        Optional<CacheConfig> cache =
                cache(root.get("cache"), redis.isPresent() || root.get("redis").isPresent());
        WebhooksConfig webhooks = WebhooksReader.read(root.get("webhooks"));
        TelemetryConfig telemetry = telemetry(root.get("telemetry"), root.get("logging"));
        QueueConfig queues = QueuesReader.read(root.get("queues"));
        Map<String, ScheduleConfig> schedules = new SchedulesReader(pipelines.keySet()).read(root.get("schedules"));
        CostsConfig costs = CostsReader.costs(root.get("costs"));
        Map<String, DeploymentConfig> deployments =
                new DeploymentsReader(pipelines, pipelinesReader).read(root.get("deployments"));
        PipewrightConfig config = new PipewrightConfig(
                server,
                storage,
                redis,
                providers,
                models,
                pipelines,
                tenants,
                routes,
                groups,
                cache,
                webhooks,
                telemetry,
                queues,
                schedules,
                costs,
                deployments);
        CostsReader.check(root.get("tenants"), tenants, config);
        return Optional.of(config);
    }

    private static ServerConfig server(ConfigNode node) {
        ServerConfig defaults = ServerConfig.DEFAULT;
        return node.block("host", "port", "drain_timeout", "watch_config", "max_in_flight")
                .flatMap(block -> block.build(() -> new ServerConfig(
                        block.get("host").name().orElse(defaults.host()),
                        block.get("port").integer().orElse(defaults.port()),
                        block.get("drain_timeout").duration().orElse(defaults.drainTimeout()),
                        block.get("watch_config").bool().orElse(defaults.watchConfig()),
                        block.get("max_in_flight").integer().orElse(defaults.maxInFlight()))))
                .orElse(defaults);
    }

    /** {@code telemetry: {metrics: BOOL}} and {@code logging: {content: BOOL}}. */
    private static TelemetryConfig telemetry(ConfigNode telemetry, ConfigNode logging) {
        TelemetryConfig defaults = TelemetryConfig.DEFAULT;
        boolean metrics = telemetry
                .block("metrics")
                .flatMap(block -> block.get("metrics").bool())
                .orElse(defaults.metrics());
        boolean content = logging.block("content")
                .flatMap(block -> block.get("content").bool())
                .orElse(defaults.logContent());
        return new TelemetryConfig(metrics, content);
    }

    private static StorageConfig storage(ConfigNode node) {
        return node.block("url")
                .flatMap(block -> block.get("url").text())
                .filter(url -> {
                    boolean supported = STORAGE_SCHEMES.stream().anyMatch(url::startsWith);
                    if (!supported) {
                        node.get("url")
                                .problem("'" + withoutCredentials(url)
                                        + "' is not a supported database; use a JDBC URL starting "
                                        + String.join(" or ", STORAGE_SCHEMES));
                    }
                    return supported;
                })
                .map(StorageConfig::new)
                .orElse(StorageConfig.DEFAULT);
    }

    private static Optional<RedisConfig> redis(ConfigNode node) {
        return node.block("url").flatMap(block -> {
            ConfigNode url = block.get("url").required();
            return url.text().flatMap(text -> {
                Optional<URI> uri = parseUri(text)
                        .filter(parsed -> REDIS_SCHEMES.contains(parsed.getScheme()) && parsed.getHost() != null);
                if (uri.isEmpty()) {
                    url.problem("'" + withoutCredentials(text)
                            + "' is not a Redis URL; write redis://HOST:PORT or rediss://HOST:PORT");
                }
                return uri.map(RedisConfig::new);
            });
        });
    }

    /** The response cache; {@code redis: true} needs the shared Redis of {@code redis.url}. */
    private static Optional<CacheConfig> cache(ConfigNode node, boolean redisDeclared) {
        return node.block("ttl", "max_entries", "shared_across_tenants", "redis")
                .flatMap(block -> {
                    ConfigNode redisNode = block.get("redis");
                    boolean redis = redisNode.bool().orElse(false);
                    if (redis && !redisDeclared) {
                        redisNode.problem("a shared cache needs Redis; set redis.url");
                    }
                    return block.build(() -> new CacheConfig(
                            block.get("ttl").duration().orElse(CacheConfig.DEFAULT_TTL),
                            block.get("max_entries").positiveInteger().orElse(CacheConfig.DEFAULT_MAX_ENTRIES),
                            block.get("shared_across_tenants").bool().orElse(false),
                            redis));
                });
    }

    /**
     * The part of a URL before any user, password or query, so that a message naming a bad URL never shows a secret.
     */
    static String withoutCredentials(String url) {
        int end = url.indexOf("//");
        if (end < 0) {
            end = url.indexOf('@') >= 0 ? url.indexOf('@') : url.indexOf('?');
        }
        return end < 0 ? url : url.substring(0, end) + "…";
    }

    static Optional<URI> parseUri(String text) {
        try {
            return Optional.of(new URI(text));
        } catch (URISyntaxException malformed) {
            return Optional.empty();
        }
    }
}
