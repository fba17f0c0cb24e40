package dev.pipewright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S",
        "10s, PT10S",
        "1.5s, PT1.5S",
        "5m, PT5M",
        "1h, PT1H",
        "0s, PT0S",
        "0.5ms, PT0.0005S",
        "90m, PT1H30M"
    })
    void reads_a_number_and_a_unit(String text, Duration expected) {
        // when / then
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10 seconds", "-1s", "abc", "10", "1h30m", "s", "1.s", "10S", " 10s", "1d"})
    void rejects_anything_else_naming_the_value(String text) {
        // when / then
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage("'" + text
                        + "' is not a duration; write a number and a unit (ms, s, m, h) such as 250ms, 10s, 1.5s, 5m"
                        + " or 1h");
    }

    @ParameterizedTest
    @CsvSource({"0.0000000001s, is finer than a nanosecond", "99999999999h, is too long to be a duration"})
    void rejects_what_a_duration_cannot_hold(String text, String why) {
        // when / then
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage("'" + text + "' " + why);
    }
}
