package dev.pipewright.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pipewright.model.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The in-process cache: at most {@code maxEntries} responses, each for {@code ttl} after it was put, the least
 * valuable evicted first when full (Caffeine's size policy). Time comes from the injected clock's ticker.
 */
public final class CaffeineResponseCache implements ResponseCache {
    private final Cache<CacheKey, CachedResponse> entries;

    public CaffeineResponseCache(Duration ttl, long maxEntries, Clock clock) {
        this.entries = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .ticker(clock::nanoTime)
                .build();
    }

    @Override
    public Optional<CachedResponse> get(CacheKey key) {
        return Optional.ofNullable(entries.getIfPresent(key));
    }

    @Override
    public void put(CacheKey key, CachedResponse response) {
        entries.put(key, response);
    }
}
