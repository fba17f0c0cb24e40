package dev.pipewright.gateway.ratelimit;

import dev.pipewright.model.Clock;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Limits held in this process: the default, exact for one gateway, per replica when there are several. */
public final class InMemoryRateLimiter implements RateLimiter {
    private final TenantBuckets tenants;

    public InMemoryRateLimiter(Clock clock) {
        TimeMeter time = ClockTimeMeter.monotonic(clock);
        Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        this.tenants = new TenantBuckets((key, bandwidth) -> buckets.computeIfAbsent(
                key,
                unused -> Bucket.builder()
                        .addLimit(bandwidth)
                        .withCustomTimePrecision(time)
                        .build()));
    }

    @Override
    public Admission admit(String tenant, Limits limits, long estimatedTokens) {
        return tenants.admit(tenant, limits, estimatedTokens);
    }

    @Override
    public void settle(String tenant, Limits limits, long tokenDifference) {
        tenants.settle(tenant, limits, tokenDifference);
    }

    @Override
    public void close() {}
}
