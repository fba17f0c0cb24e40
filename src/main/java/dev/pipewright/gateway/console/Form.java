package dev.pipewright.gateway.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The fields of an {@code application/x-www-form-urlencoded} body; the first value of a repeated field wins. */
record Form(Map<String, String> fields) {
    static final Form EMPTY = new Form(Map.of());

    static Form parse(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            fields.putIfAbsent(name, value);
        }
        return new Form(Map.copyOf(fields));
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
