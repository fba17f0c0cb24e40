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
    /** A lookup of a request when no cache is configured: no key is built for it. */
    static final CacheLookup OFF = new CacheLookup(Optional.empty(), CacheOutcome.OFF, Optional.empty(), false);

    private final Optional<Slot> slot;
    private final CacheOutcome outcome;
    private final Optional<CachedResponse> cached;
    private final boolean storable;

    /** Where an answer of this request would be stored. */
    record Slot(ResponseCache cache, CacheKey key) {
        Slot {
            Objects.requireNonNull(cache);
            Objects.requireNonNull(key);
        }
    }

    CacheLookup(Optional<Slot> slot, CacheOutcome outcome, Optional<CachedResponse> cached, boolean storable) {
        this.slot = Objects.requireNonNull(slot);
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

    /**
     * Whether {@link #store} would keep an answer: a caller that must first serialise the answer asks this, so that
     * nothing is serialised for a request no cache keeps.
     */
    public boolean storing() {
        return storable && slot.isPresent();
    }

    /**
     * Stores a successful, complete answer; does nothing when the answer came from the cache, when no cache is
     * configured or when the client sent {@code no-store}. Never store a failed, partial or degraded answer.
     */
    public void store(CachedResponse response) {
        if (storable) {
            slot.ifPresent(target -> target.cache().put(target.key(), response));
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
