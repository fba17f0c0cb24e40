package dev.pipewright.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryBackoffTest {
    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @ParameterizedTest
    @CsvSource({
        "1, 500, 1000",
        "2, 1000, 2000",
        "3, 2000, 4000",
        "5, 8000, 16000",
        "6, 15000, 30000",
        "60, 15000, 30000"
    })
    void the_delay_doubles_per_attempt_up_to_the_cap_with_jitter_in_its_upper_half(
            int attempt, long lowestMillis, long highestMillis) {
        // given
        SplittableRandom random = new SplittableRandom(1);

        for (int draw = 0; draw < 200; draw++) {
            // when
            Duration delay = backoff.delayAfter(attempt, random);

            // then
            assertThat(delay.toMillis()).isBetween(lowestMillis, highestMillis);
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 1, base was PT0S", "5, 1, base was PT5S and max PT1S"})
    void a_backoff_needs_a_positive_base_below_its_cap(long baseSeconds, long maxSeconds, String message) {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(baseSeconds), Duration.ofSeconds(maxSeconds)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
