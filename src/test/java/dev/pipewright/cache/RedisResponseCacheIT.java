package dev.pipewright.cache;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/** The contract against the real Redis on 127.0.0.1:6379; each test writes under a key prefix of its own. */
class RedisResponseCacheIT extends ResponseCacheContract {

    @Override
    ResponseCache newCache(Duration ttl) {
        return RedisResponseCache.connect(
                URI.create("redis://127.0.0.1:6379"), "pipewright-test:" + UUID.randomUUID() + ":", ttl);
    }
}
