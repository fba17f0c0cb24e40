package dev.pipewright.gateway;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id every response carries: the client's {@code X-Request-Id} when it is a sane token (so ids can be
 * followed across systems), otherwise a new random one. A client-sent id is bounded so it cannot flood logs. The id
 * is chosen once per request and kept in the request's context, so every caller of {@link #of} gets the same one.
 */
final class RequestIds {
    static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {}

    static String of(ServerRequest request) {
        Optional<String> chosen = request.context().get(RequestIds.class, String.class);
        if (chosen.isPresent()) {
            return chosen.get();
        }
        String id = request.headers()
                .first(HEADER)
                .filter(candidate -> SAFE.matcher(candidate).matches())
                .orElseGet(() -> random("req_"));
        request.context().register(RequestIds.class, id);
        return id;
    }

    /**
     * A new id: the prefix and 128 random bits as 32 hex digits, the shape of a UUID without its dashes. Ids are
     * names, not secrets, so they come from the thread's fast generator rather than from {@code SecureRandom}, whose
     * lock and system call every request would otherwise pay once per id.
     */
    static String random(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return prefix + hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }
}
