package dev.pipewright.gateway.auth;

import java.util.regex.Pattern;

/**
 * Who a request acts for. {@code master} is true when the admin master key authenticated it: such a request may
 * name any tenant and is not rate limited.
 */
public record Tenant(String name, boolean master) {
    /** The tenant of the development key, and of the master key when the request names none. */
    public static final String DEFAULT = "default";

    /** What a tenant name may look like, as problems say it. */
    public static final String NAME_RULE =
            "use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public Tenant {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a tenant name; " + NAME_RULE);
        }
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
