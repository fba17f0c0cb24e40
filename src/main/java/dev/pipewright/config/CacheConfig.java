package dev.pipewright.config;

import java.time.Duration;

/**
 * {@code cache}: the response cache. Entries live {@code ttl}; the in-process cache holds at most {@code maxEntries};
 * {@code redis} keeps the entries in the shared Redis of {@code redis.url} instead, so that replicas share them.
 * Entries are scoped to the tenant that stored them unless {@code sharedAcrossTenants}.
 */
public record CacheConfig(Duration ttl, int maxEntries, boolean sharedAcrossTenants, boolean redis) {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    public CacheConfig {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, but was " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("max_entries must be at least 1, but was " + maxEntries);
        }
    }
}
