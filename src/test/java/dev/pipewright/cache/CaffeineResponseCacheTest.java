package dev.pipewright.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.Clock;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaffeineResponseCacheTest extends ResponseCacheContract {

    @Override
    ResponseCache newCache(Duration ttl) {
        return new CaffeineResponseCache(ttl, 1_000, Clock.system());
    }

    @Test
    void measures_the_time_to_live_on_the_injected_clock() {
        // given
        FakeClock clock = new FakeClock();
        ResponseCache cache = new CaffeineResponseCache(Duration.ofMinutes(10), 1_000, clock);
        cache.put(key("acme", "hello"), response("1"));

        // when
        clock.advance(Duration.ofMinutes(9));
        boolean keptBefore = cache.get(key("acme", "hello")).isPresent();
        clock.advance(Duration.ofMinutes(1));
        boolean keptAfter = cache.get(key("acme", "hello")).isPresent();

        // then
        assertThat(keptBefore).isTrue();
        assertThat(keptAfter).isFalse();
    }
}
