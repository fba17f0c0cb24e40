package dev.pipewright.cache;

import java.util.Locale;
import java.util.Optional;

/** How the cache took part in one request, as the {@value #HEADER} response header reports it. */
public enum CacheOutcome {
    /** The answer came from the cache; no model was called. */
    HIT,
    /** Nothing was cached for the request; the answer was computed (and stored if it succeeded). */
    MISS,
    /** The client's {@code Cache-Control} asked not to be served from the cache. */
    BYPASS,
    /** No cache is configured; no header is sent. */
    OFF;

    public static final String HEADER = "x-pipewright-cache";

    /** The header's value, or empty when no header is sent. */
    public Optional<String> headerValue() {
        return this == OFF ? Optional.empty() : Optional.of(name().toLowerCase(Locale.ROOT));
    }
}
