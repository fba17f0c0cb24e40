package dev.pipewright.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link ResponseCache} must do. A subclass supplies a fresh, empty cache per test. */
abstract class ResponseCacheContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResponseCache cache;

    /** A cache whose entries live {@code ttl}, sharing no entries with any other test's cache. */
    abstract ResponseCache newCache(Duration ttl);

    private ResponseCache cache(Duration ttl) {
        cache = newCache(ttl);
        return cache;
    }

    @AfterEach
    void closeCache() {
        if (cache != null) {
            cache.close();
        }
    }

    static CacheKey key(String tenant, String input) {
        return CacheKey.of(
                tenant,
                false,
                CacheKey.modelTarget("chat"),
                JSON.createObjectNode().put("input", input));
    }

    static CachedResponse response(String body) {
        return new CachedResponse("application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void misses_what_was_never_stored() {
        assertThat(cache(Duration.ofMinutes(1))
                        .get(key("acme", UUID.randomUUID().toString())))
                .isEmpty();
    }

    @Test
    void returns_what_was_stored_under_the_same_key() {
        // given
        ResponseCache cache = cache(Duration.ofMinutes(1));
        cache.put(key("acme", "hello"), response("{\"answer\": 1}"));

        // when / then
        assertThat(cache.get(key("acme", "hello"))).hasValue(response("{\"answer\": 1}"));
    }

    @Test
    void keeps_the_media_type_and_every_byte_of_the_body() {
        // given
        ResponseCache cache = cache(Duration.ofMinutes(1));
        CachedResponse binary =
                new CachedResponse("text/event-stream; charset=utf-8", new byte[] {0, '\n', (byte) 0xff, 'x'});
        cache.put(key("acme", "bytes"), binary);

        // when / then
        assertThat(cache.get(key("acme", "bytes"))).hasValue(binary);
    }

    @Test
    void keeps_tenants_apart() {
        // given
        ResponseCache cache = cache(Duration.ofMinutes(1));
        cache.put(key("acme", "hello"), response("acme's"));

        // when / then
        assertThat(cache.get(key("globex", "hello"))).isEmpty();
    }

    @Test
    void a_different_input_is_a_different_entry() {
        // given
        ResponseCache cache = cache(Duration.ofMinutes(1));
        cache.put(key("acme", "hello"), response("1"));

        // when / then
        assertThat(cache.get(key("acme", "hello!"))).isEmpty();
    }

    @Test
    void a_second_put_replaces_the_first() {
        // given
        ResponseCache cache = cache(Duration.ofMinutes(1));
        cache.put(key("acme", "hello"), response("old"));

        // when
        cache.put(key("acme", "hello"), response("new"));

        // then
        assertThat(cache.get(key("acme", "hello"))).hasValue(response("new"));
    }

    @Test
    void forgets_an_entry_once_its_time_to_live_has_passed() {
        // given
        ResponseCache cache = cache(Duration.ofMillis(300));
        cache.put(key("acme", "brief"), response("soon gone"));

        // when / then
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> cache.get(key("acme", "brief")).isEmpty());
    }
}
