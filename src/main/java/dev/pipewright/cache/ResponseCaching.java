package dev.pipewright.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.CacheConfig;
import dev.pipewright.config.RedisConfig;
import dev.pipewright.model.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Response caching as the routes use it: builds the key of a request (scoped to its tenant unless the cache is
 * shared across tenants), honours the request's {@code Cache-Control}, and hands out one {@link CacheLookup} per
 * request. Thread safe; one instance serves every route.
 */
public final class ResponseCaching implements AutoCloseable {
    /** Every Redis key of the cache starts with this, so the cache's entries can be told apart and dropped. */
    public static final String REDIS_KEY_PREFIX = "pipewright:cache:";

    private final Optional<ResponseCache> cache;
    private final boolean sharedAcrossTenants;

    public ResponseCaching(ResponseCache cache, boolean sharedAcrossTenants) {
        this(Optional.of(cache), sharedAcrossTenants);
    }

    private ResponseCaching(Optional<ResponseCache> cache, boolean sharedAcrossTenants) {
        this.cache = cache;
        this.sharedAcrossTenants = sharedAcrossTenants;
    }

    /** No cache: every lookup is {@link CacheOutcome#OFF} and stores nothing. */
    public static ResponseCaching off() {
        return new ResponseCaching(Optional.empty(), false);
    }

    /**
     * The cache {@code config} asks for: in Redis when {@code cache.redis} is on (config validation guarantees that
     * {@code redis} is then present), else in process.
     *
     * @throws io.lettuce.core.RedisException when the Redis cache was asked for and Redis cannot be reached
     */
    public static ResponseCaching from(Optional<CacheConfig> config, Optional<RedisConfig> redis, Clock clock) {
        return config.map(
                        settings -> new ResponseCaching(store(settings, redis, clock), settings.sharedAcrossTenants()))
                .orElseGet(ResponseCaching::off);
    }

    private static ResponseCache store(CacheConfig settings, Optional<RedisConfig> redis, Clock clock) {
        if (settings.redis()) {
            RedisConfig shared = redis.orElseThrow(
                    () -> new IllegalArgumentException("cache.redis is on but no redis.url is configured"));
            return RedisResponseCache.connect(shared.url(), REDIS_KEY_PREFIX, settings.ttl());
        }
        return new CaffeineResponseCache(settings.ttl(), settings.maxEntries(), clock);
    }

    /**
     * The cache's part in one request from {@code tenant} for {@code target} (see {@link CacheKey#pipelineTarget},
     * {@link CacheKey#modelTarget}), keyed on {@code semanticInput}, which is only built when a cache is configured.
     */
    public CacheLookup lookup(
            String tenant, String target, Supplier<JsonNode> semanticInput, CacheDirectives directives) {
        Objects.requireNonNull(directives, "directives");
        if (cache.isEmpty()) {
            return CacheLookup.OFF;
        }
        Optional<CacheLookup.Slot> slot = Optional.of(new CacheLookup.Slot(
                cache.get(), CacheKey.of(tenant, sharedAcrossTenants, target, semanticInput.get())));
        if (directives.bypassesRead()) {
            return new CacheLookup(slot, CacheOutcome.BYPASS, Optional.empty(), !directives.noStore());
        }
        Optional<CachedResponse> cached = cache.get().get(slot.get().key());
        return cached.isPresent()
                ? new CacheLookup(slot, CacheOutcome.HIT, cached, false)
                : new CacheLookup(slot, CacheOutcome.MISS, Optional.empty(), true);
    }

    @Override
    public void close() {
        cache.ifPresent(ResponseCache::close);
    }
}
