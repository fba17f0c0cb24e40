package dev.pipewright.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLimitHeadersTest {

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0s",
        "PT0.12S, 120ms",
        "PT0.0001S, 1ms",
        "PT1S, 1s",
        "PT8.64S, 8.64s",
        "PT6M, 6m0s",
        "PT1M30.5S, 1m30.5s",
        "PT1H2M3S, 1h2m3s"
    })
    void writes_reset_durations_as_openai_does(Duration duration, String written) {
        // when / then
        assertThat(RateLimitHeaders.duration(duration)).isEqualTo(written);
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 1", "PT0.2S, 1", "PT1S, 1", "PT1.001S, 2", "PT20S, 20", "PT1M0.5S, 61"})
    void retry_after_rounds_up_to_whole_seconds(Duration wait, long seconds) {
        // when / then
        assertThat(RateLimitHeaders.retryAfterSeconds(wait)).isEqualTo(seconds);
    }
}
