package dev.pipewright.gateway.ratelimit;

import dev.pipewright.model.Clock;

class InMemoryRateLimiterTest extends RateLimiterContract {
    @Override
    protected RateLimiter newLimiter(Clock clock) {
        return new InMemoryRateLimiter(clock);
    }
}
