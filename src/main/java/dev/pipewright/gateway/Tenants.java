package dev.pipewright.gateway;

import io.helidon.webserver.http.ServerRequest;

/**
 * The one place a route learns whose request it serves. Authentication registers the caller's tenant in the request
 * context (under this class); until it has, every request is the {@code default} tenant's.
 */
public final class Tenants {
    public static final String DEFAULT = "default";

    private Tenants() {}

    public static String of(ServerRequest request) {
        return request.context().get(Tenants.class, String.class).orElse(DEFAULT);
    }

    /** Records that {@code request} was made by {@code tenant}; for the authentication filter. */
    public static void set(ServerRequest request, String tenant) {
        request.context().register(Tenants.class, tenant);
    }
}
