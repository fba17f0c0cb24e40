package dev.pipewright.cache;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache shared by every replica, in Redis: one string per entry under {@code keyPrefix + key.id()}, set with a
 * millisecond expiry of {@code ttl} so Redis drops it on time. The value is the media type, a newline, then the body.
 * A Redis failure or a slow answer (past {@link #COMMAND_TIMEOUT}) is logged and treated as a miss or a skipped
 * store, never as a failed request. One multiplexed connection serves every thread.
 */
public final class RedisResponseCache implements ResponseCache {
    /** The longest a lookup may add to a request when Redis is slow. */
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** Connecting (TCP and the handshake) may take longer than a lookup, as on a busy host at start-up. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(RedisResponseCache.class);

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final String keyPrefix;
    private final Duration ttl;

    private RedisResponseCache(RedisClient client, String keyPrefix, Duration ttl) {
        this.client = client;
        this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        connection.setTimeout(COMMAND_TIMEOUT);
        this.keyPrefix = Objects.requireNonNull(keyPrefix);
        this.ttl = Objects.requireNonNull(ttl);
    }

    /**
     * Connects to the Redis at {@code url}.
     *
     * @throws RedisException when Redis cannot be reached now
     */
    public static RedisResponseCache connect(URI url, String keyPrefix, Duration ttl) {
        RedisURI address = RedisURI.create(url.toString());
        address.setTimeout(CONNECT_TIMEOUT);
        RedisClient client = RedisClient.create(address);
        try {
            return new RedisResponseCache(client, keyPrefix, ttl);
        } catch (RedisException unreachable) {
            client.shutdown();
            throw unreachable;
        }
    }

    @Override
    public Optional<CachedResponse> get(CacheKey key) {
        try {
            return Optional.ofNullable(connection.sync().get(keyPrefix + key.id()))
                    .flatMap(RedisResponseCache::decode);
        } catch (RedisException e) {
            log.warn("response cache lookup failed; answering without the cache: {}", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void put(CacheKey key, CachedResponse response) {
        try {
            connection.sync().set(keyPrefix + key.id(), encode(response), SetArgs.Builder.px(ttl));
        } catch (RedisException e) {
            log.warn("response cache store failed; the response is not cached: {}", e.toString());
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    private static byte[] encode(CachedResponse response) {
        byte[] type = (response.contentType() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] value = Arrays.copyOf(type, type.length + response.body().length);
        System.arraycopy(response.body(), 0, value, type.length, response.body().length);
        return value;
    }

    /** An entry that is not in this format (written by something else under our prefix) counts as a miss. */
    private static Optional<CachedResponse> decode(byte[] value) {
        for (int i = 0; i < value.length; i++) {
            if (value[i] == '\n') {
                String type = new String(value, 0, i, StandardCharsets.UTF_8);
                return type.isBlank()
                        ? Optional.empty()
                        : Optional.of(new CachedResponse(type, Arrays.copyOfRange(value, i + 1, value.length)));
            }
        }
        return Optional.empty();
    }
}
