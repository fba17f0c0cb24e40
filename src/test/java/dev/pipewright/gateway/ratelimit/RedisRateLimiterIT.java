package dev.pipewright.gateway.ratelimit;

import dev.pipewright.model.Clock;
import java.net.URI;
import java.util.UUID;

/** The contract against the real Redis on 127.0.0.1:6379; every test writes under its own key prefix. */
class RedisRateLimiterIT extends RateLimiterContract {
    static final URI REDIS = URI.create(System.getProperty("pipewright.test.redis", "redis://127.0.0.1:6379"));

    @Override
    protected RateLimiter newLimiter(Clock clock) {
        return RedisRateLimiter.connect(REDIS, "pipewright-test:" + UUID.randomUUID() + ":", clock);
    }
}
