package dev.pipewright.cache;

import java.util.Objects;
import java.util.Optional;

/**
 * The cache's part in one request. When {@link #outcome} is {@code HIT}, answer with {@link #cached} and call no model;
 * otherwise compute the answer and, only when it succeeded completely, {@link #store} it (or, for a stream, feed a
 * {@link #recordStream} recording and complete it at the stream's proper end). Always send {@link
 * CacheOutcome#HEADER} with {@code outcome().headerValue()} when present. Not shared between requests.
 */
public final class CacheLookup {
    private final Optional<ResponseCache> cache;
    private final CacheKey key;
    private final CacheOutcome outcome;
    private final Optional<CachedResponse> cached;
    private final boolean storable;

    CacheLookup(
            Optional<ResponseCache> cache,
            CacheKey key,
            CacheOutcome outcome,
            Optional<CachedResponse> cached,
            boolean storable) {
        this.cache = cache;
        this.key = Objects.requireNonNull(key);
        this.outcome = Objects.requireNonNull(outcome);
        this.cached = Objects.requireNonNull(cached);
        this.storable = storable;
    }

    public CacheOutcome outcome() {
        return outcome;
    }

    /** The stored answer when {@link #outcome} is {@code HIT}; empty otherwise. */
    public Optional<CachedResponse> cached() {
        return cached;
    }

    public CacheKey key() {
        return key;
    }

    /**
     * Stores a successful, complete answer; does nothing when the answer came from the cache, when no cache is
     * configured or when the client sent {@code no-store}. Never store a failed, partial or degraded answer.
     */
    public void store(CachedResponse response) {
        if (storable) {
            cache.ifPresent(store -> store.put(key, response));
        }
    }

    /**
     * A recording of a streamed answer of media type {@code contentType}: append every piece as it is sent, then
     * call {@link StreamRecording#complete} only when the stream ended properly. A recording never completed (the
     * stream failed, the client left) stores nothing.
     */
    public StreamRecording recordStream(String contentType) {
        return new StreamRecording(this, contentType);
    }
}
