package dev.pipewright.gateway;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.KeyVerifier;
import dev.pipewright.gateway.ratelimit.InMemoryRateLimiter;
import dev.pipewright.model.Clock;
import java.util.Optional;

/** The access filter the gateway tests put in front of their routes: {@code masterKey} only, limits in memory. */
final class TestAccess {
    private TestAccess() {}

    static AccessFilter masterKeyOnly(PipewrightConfig config, String masterKey, Clock clock) {
        return new AccessFilter(
                new KeyVerifier(() -> config, Optional.of(masterKey), Optional.empty()),
                new InMemoryRateLimiter(clock),
                () -> config);
    }
}
