package dev.pipewright.cache;

import java.util.Optional;

/**
 * The store behind response caching: an exact-match map from {@link CacheKey} to {@link CachedResponse} whose entries
 * expire a fixed time after they were put. Implementations are thread safe, and a failing store (Redis down) behaves
 * as an empty one rather than failing the request: a cache may only ever save work.
 */
public interface ResponseCache extends AutoCloseable {

    Optional<CachedResponse> get(CacheKey key);

    /** Stores {@code response} under {@code key}, replacing an entry there and starting its time to live afresh. */
    void put(CacheKey key, CachedResponse response);

    /** Releases the connections the store holds; the default holds none. */
    @Override
    default void close() {}
}
