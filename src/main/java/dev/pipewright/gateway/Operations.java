package dev.pipewright.gateway;

import java.util.Objects;
import java.util.Optional;

/**
 * The runtime operations the gateway serves: the drain that refuses new requests during a stop, the scope each
 * request runs in, the admin configuration routes ({@code POST /admin/reload}, {@code GET /admin/config}) and the
 * schedule routes ({@code GET /v1/schedules}, {@code POST /v1/schedules/{name}/run}); absent parts are not served.
 */
public record Operations(
        Drain drain, RequestScope scope, Optional<ConfigAdmin> admin, Optional<SchedulesApi> schedules) {
    public Operations {
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(schedules, "schedules");
    }

    /** A drain of its own, no scope, no admin or schedule routes. */
    public static Operations basic() {
        return new Operations(new Drain(), RequestScope.NONE, Optional.empty(), Optional.empty());
    }
}
