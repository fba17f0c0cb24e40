package dev.pipewright.cache;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The request's {@code Cache-Control} directives that the cache honours, as HTTP defines them for a shared cache:
 * {@code no-cache} means "do not answer me from the cache" (the fresh answer is still stored, so it refreshes the
 * entry), {@code no-store} means "do not keep this exchange" (neither read nor stored). Other directives are ignored.
 */
public record CacheDirectives(boolean noCache, boolean noStore) {
    public static final CacheDirectives NONE = new CacheDirectives(false, false);

    /** The directives of a {@code Cache-Control} header value; names are case-insensitive, arguments ignored. */
    public static CacheDirectives parse(Optional<String> cacheControl) {
        Set<String> names = cacheControl.stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(directive -> directive.split("=", 2)[0].strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return new CacheDirectives(names.contains("no-cache"), names.contains("no-store"));
    }

    boolean bypassesRead() {
        return noCache || noStore;
    }
}
