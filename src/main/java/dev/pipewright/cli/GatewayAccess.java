package dev.pipewright.cli;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.AccessFilter;
import dev.pipewright.gateway.auth.DevelopmentKey;
import dev.pipewright.gateway.auth.KeyVerifier;
import dev.pipewright.gateway.ratelimit.InMemoryRateLimiter;
import dev.pipewright.gateway.ratelimit.RateLimiter;
import dev.pipewright.gateway.ratelimit.RedisRateLimiter;
import dev.pipewright.model.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's access control as {@code serve} builds it: keys from the configuration, the master key from
 * {@code PIPEWRIGHT_MASTER_KEY} and, when neither gives any key, a development key whose hash is kept in
 * {@code .pipewright/dev-key.sha256} beside the configuration file (the key is printed once, by the start that made
 * it); limits in Redis when {@code redis.url} is set, so replicas share them, else in this process.
 */
final class GatewayAccess implements AutoCloseable {
    static final Path DEV_KEY_FILE = Path.of(".pipewright", "dev-key.sha256");
    private static final Logger log = LoggerFactory.getLogger(GatewayAccess.class);

    private final RateLimiter limiter;
    private final AccessFilter filter;

    private GatewayAccess(RateLimiter limiter, AccessFilter filter) {
        this.limiter = limiter;
        this.filter = filter;
    }

    static GatewayAccess start(
            Supplier<PipewrightConfig> config,
            Path configFile,
            Map<String, String> environment,
            PrintWriter err,
            Clock clock)
            throws IOException {
        Optional<String> masterKey = KeyVerifier.masterKey(environment);
        Optional<String> developmentKeyHash = KeyVerifier.noKeyConfigured(config.get(), masterKey)
                ? Optional.of(developmentKey(configFile, err))
                : Optional.empty();
        KeyVerifier keys = new KeyVerifier(config, masterKey, developmentKeyHash);
        RateLimiter limiter = config.get()
                .redis()
                .<RateLimiter>map(
                        redis -> RedisRateLimiter.connect(redis.url(), RedisRateLimiter.DEFAULT_KEY_PREFIX, clock))
                .orElseGet(() -> new InMemoryRateLimiter(clock));
        return new GatewayAccess(limiter, new AccessFilter(keys, limiter, config));
    }

    AccessFilter filter() {
        return filter;
    }

    private static String developmentKey(Path configFile, PrintWriter err) throws IOException {
        Path file = configFile.toAbsolutePath().resolveSibling(DEV_KEY_FILE);
        DevelopmentKey.Outcome outcome = DevelopmentKey.loadOrCreate(file, new SecureRandom());
        switch (outcome) {
            case DevelopmentKey.Outcome.Created created -> {
                err.printf(
                        "No API key is configured, so this development key was made for tenant 'default'."
                                + " It is shown this once; only its hash is kept, in %s:%n%n  %s%n%n"
                                + "Send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'."
                                + " Delete that file to have a new key made.%n",
                        file, created.key());
                err.flush();
            }
            case DevelopmentKey.Outcome.Existing existing ->
                log.info("no API key is configured; accepting the development key whose hash is in {}", file);
        }
        return outcome.hash();
    }

    @Override
    public void close() {
        limiter.close();
    }
}
