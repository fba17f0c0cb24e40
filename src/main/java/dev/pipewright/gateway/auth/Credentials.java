package dev.pipewright.gateway.auth;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.Optional;

/** Where clients put their key: {@code Authorization: Bearer KEY} (OpenAI SDKs) or {@code x-api-key} (Anthropic). */
public final class Credentials {
    public static final HeaderName API_KEY = HeaderNames.create("x-api-key");
    private static final String BEARER = "Bearer ";

    private Credentials() {}

    public static Optional<String> presented(Headers headers) {
        Optional<String> bearer = headers.first(HeaderNames.AUTHORIZATION)
                .map(String::strip)
                .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(value -> value.substring(BEARER.length()).strip())
                .filter(key -> !key.isEmpty());
        if (bearer.isPresent()) {
            return bearer;
        }
        return headers.first(API_KEY).map(String::strip).filter(key -> !key.isEmpty());
    }
}
