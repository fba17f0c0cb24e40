package dev.pipewright.gateway.auth;

import io.helidon.webserver.http.ServerRequest;

/**
 * The one way a route learns who is calling. The gateway's access filter authenticates every request outside the
 * open paths before any route runs and attaches the tenant here.
 */
public final class Tenants {
    private Tenants() {}

    /** The authenticated tenant of {@code request}; a route outside the access filter calling this is a bug. */
    public static Tenant of(ServerRequest request) {
        return request.context()
                .get(Tenant.class)
                .orElseThrow(
                        () -> new IllegalStateException(
                                "the request to " + request.path().path()
                                        + " was not authenticated; only routes behind the access filter may ask for the tenant"));
    }

    /** Called by the access filter once the key is verified. */
    public static void attach(ServerRequest request, Tenant tenant) {
        request.context().register(tenant);
    }
}
