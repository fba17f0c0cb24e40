package dev.pipewright.config;

import java.util.Locale;

/**
 * What keeps one caller on one variant: the tenant, or the value of a request header (a user id). Written {@code
 * tenant} or {@code header:NAME} in config.
 */
public sealed interface StickyKey {
    StickyKey TENANT = new Tenant();

    record Tenant() implements StickyKey {}

    /** The header's value; a request without it falls back to the tenant. */
    record Header(String name) implements StickyKey {
        public Header {
            if (name == null || !name.matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException(
                        "a sticky header name uses letters, digits and '-', but was '" + name + "'");
            }
            name = name.toLowerCase(Locale.ROOT);
        }
    }

    static StickyKey parse(String text) {
        if (text.equals("tenant")) {
            return TENANT;
        }
        if (text.startsWith("header:")) {
            return new Header(text.substring("header:".length()));
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not a sticky key; write tenant or header:NAME (such as header:x-user-id)");
    }
}
