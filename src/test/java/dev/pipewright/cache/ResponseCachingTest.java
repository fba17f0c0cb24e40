package dev.pipewright.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResponseCachingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode INPUT = JSON.createObjectNode().put("text", "hello");
    private static final CachedResponse ANSWER =
            new CachedResponse("application/json", "{\"answer\":1}".getBytes(StandardCharsets.UTF_8));

    private final CaffeineResponseCache store = new CaffeineResponseCache(Duration.ofMinutes(10), 100, new FakeClock());

    private static CacheDirectives cacheControl(String value) {
        return CacheDirectives.parse(Optional.of(value));
    }

    @Test
    void a_miss_then_a_hit_after_the_answer_was_stored() {
        // given
        ResponseCaching caching = new ResponseCaching(store, false);

        // when
        CacheLookup first = caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE);
        first.store(ANSWER);
        CacheLookup second = caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE);

        // then
        assertThat(first.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(first.storing()).isTrue();
        assertThat(second.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(second.storing()).isFalse();
        assertThat(second.cached()).hasValue(ANSWER);
        assertThat(second.outcome().headerValue()).hasValue("hit");
    }

    @Test
    void another_tenant_never_sees_the_entry() {
        // given
        ResponseCaching caching = new ResponseCaching(store, false);
        caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE).store(ANSWER);

        // when
        CacheLookup other = caching.lookup("globex", "model:chat", () -> INPUT, CacheDirectives.NONE);

        // then
        assertThat(other.outcome()).isEqualTo(CacheOutcome.MISS);
    }

    @Test
    void a_cache_shared_across_tenants_serves_every_tenant() {
        // given
        ResponseCaching caching = new ResponseCaching(store, true);
        caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE).store(ANSWER);

        // when / then
        assertThat(caching.lookup("globex", "model:chat", () -> INPUT, CacheDirectives.NONE)
                        .cached())
                .hasValue(ANSWER);
    }

    @Test
    void no_cache_bypasses_the_read_and_refreshes_the_entry() {
        // given
        ResponseCaching caching = new ResponseCaching(store, false);
        caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE).store(ANSWER);
        CachedResponse fresh = new CachedResponse("application/json", new byte[] {'2'});

        // when
        CacheLookup bypass = caching.lookup("acme", "model:chat", () -> INPUT, cacheControl("No-Cache"));
        bypass.store(fresh);

        // then
        assertThat(bypass.outcome()).isEqualTo(CacheOutcome.BYPASS);
        assertThat(bypass.storing()).isTrue();
        assertThat(bypass.cached()).isEmpty();
        assertThat(caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE)
                        .cached())
                .hasValue(fresh);
    }

    @Test
    void no_store_neither_reads_nor_stores() {
        // given
        ResponseCaching caching = new ResponseCaching(store, false);

        // when
        CacheLookup bypass = caching.lookup("acme", "model:chat", () -> INPUT, cacheControl("max-age=0, no-store"));
        bypass.store(ANSWER);

        // then
        assertThat(bypass.outcome()).isEqualTo(CacheOutcome.BYPASS);
        assertThat(bypass.storing()).isFalse();
        assertThat(caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE)
                        .outcome())
                .isEqualTo(CacheOutcome.MISS);
    }

    @Test
    void without_a_cache_nothing_is_stored_and_no_header_is_sent() {
        // given
        ResponseCaching caching = ResponseCaching.off();

        // when
        CacheLookup lookup = caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE);
        lookup.store(ANSWER);

        // then
        assertThat(lookup.outcome()).isEqualTo(CacheOutcome.OFF);
        assertThat(lookup.storing()).isFalse();
        assertThat(lookup.outcome().headerValue()).isEmpty();
        assertThat(caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE)
                        .cached())
                .isEmpty();
    }

    @Test
    void a_stream_is_stored_only_once_it_completed() {
        // given
        ResponseCaching caching = new ResponseCaching(store, false);
        StreamRecording broken = caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE)
                .recordStream("text/event-stream");
        broken.append("data: {\"delta\":\"Hel\"}\n\n".getBytes(StandardCharsets.UTF_8));
        boolean storedWhileOpen = caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE)
                .cached()
                .isPresent();

        // when
        StreamRecording whole = caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE)
                .recordStream("text/event-stream");
        whole.append("data: a\n\n".getBytes(StandardCharsets.UTF_8));
        whole.append("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        whole.complete();

        // then
        assertThat(storedWhileOpen).isFalse();
        assertThat(caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE)
                        .cached())
                .hasValue(new CachedResponse(
                        "text/event-stream", "data: a\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_stream_over_the_size_limit_is_not_stored() {
        // given
        ResponseCaching caching = new ResponseCaching(store, false);
        StreamRecording recording = caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE)
                .recordStream("text/event-stream");

        // when
        recording.append(new byte[StreamRecording.MAX_BYTES]);
        recording.append(new byte[] {1});
        recording.complete();

        // then
        assertThat(caching.lookup("acme", "model:chat", () -> INPUT, CacheDirectives.NONE)
                        .outcome())
                .isEqualTo(CacheOutcome.MISS);
    }

    @Test
    void with_no_cache_configured_the_lookup_is_off_and_builds_no_key() {
        // given
        ResponseCaching caching = ResponseCaching.off();

        // when
        CacheLookup lookup = caching.lookup(
                "acme",
                "model:chat",
                () -> {
                    throw new AssertionError("the input of a key was built with no cache configured");
                },
                CacheDirectives.NONE);

        // then
        assertThat(lookup.outcome()).isEqualTo(CacheOutcome.OFF);
        assertThat(lookup.cached()).isEmpty();
        lookup.store(ANSWER);
    }
}
