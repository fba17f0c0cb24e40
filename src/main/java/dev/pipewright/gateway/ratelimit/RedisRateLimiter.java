package dev.pipewright.gateway.ratelimit;

import dev.pipewright.model.Clock;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits held in Redis, so every gateway replica draws from the same buckets. Each decision is one compare-and-swap
 * of the bucket's state, retried on a concurrent change; time comes from the wall clock of the deciding replica
 * (replicas must keep their clocks in sync, as NTP does). A bucket's key expires once it would have refilled, so
 * idle tenants leave nothing behind.
 */
public final class RedisRateLimiter implements RateLimiter {
    public static final String DEFAULT_KEY_PREFIX = "pipewright:ratelimit:";
    private static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(10);
    /** A decision waits at most this long for Redis; a request must not hang on its rate limit. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Connecting (TCP and the handshake) may take longer than a decision, as on a busy host at start-up. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final TenantBuckets tenants;

    private RedisRateLimiter(
            RedisClient client, StatefulRedisConnection<String, byte[]> connection, String keyPrefix, Clock clock) {
        this.client = client;
        this.connection = connection;
        ProxyManager<String> proxies = Bucket4jLettuce.casBasedBuilder(connection)
                .clientClock(ClockTimeMeter.wall(clock))
                .requestTimeout(COMMAND_TIMEOUT)
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                .build();
        Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        this.tenants = new TenantBuckets((key, bandwidth) -> buckets.computeIfAbsent(
                key,
                unused -> proxies.builder()
                        .build(
                                keyPrefix + key,
                                BucketConfiguration.builder()
                                        .addLimit(bandwidth)
                                        .build())));
    }

    /** Connects to {@code url} ({@code redis://host:port}); keys start with {@code keyPrefix}. */
    public static RedisRateLimiter connect(URI url, String keyPrefix, Clock clock) {
        RedisURI address = RedisURI.create(url.toString());
        address.setTimeout(CONNECT_TIMEOUT);
        RedisClient client = RedisClient.create(address);
        try {
            StatefulRedisConnection<String, byte[]> connection =
                    client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            connection.setTimeout(COMMAND_TIMEOUT);
            return new RedisRateLimiter(client, connection, keyPrefix, clock);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
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
    public void close() {
        connection.close();
        client.shutdown();
    }
}
