package dev.pipewright.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryAfterHeaderTest {
    /** A Thursday. */
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static Stream<Arguments> retryAfterValues() {
        return Stream.of(
                Arguments.of("120", Optional.of(Duration.ofSeconds(120))),
                Arguments.of("0", Optional.of(Duration.ZERO)),
                Arguments.of(" 7 ", Optional.of(Duration.ofSeconds(7))),
                Arguments.of("1.5", Optional.of(Duration.ofMillis(1500))),
                Arguments.of("0.0000000001", Optional.of(Duration.ofNanos(1))),
                Arguments.of("Thu, 01 Jan 2026 00:01:30 GMT", Optional.of(Duration.ofSeconds(90))),
                Arguments.of("Wed, 31 Dec 2025 23:59:00 GMT", Optional.of(Duration.ZERO)),
                Arguments.of("Fri, 01 Jan 2026 00:01:30 GMT", Optional.empty()),
                Arguments.of("-5", Optional.empty()),
                Arguments.of("1e3", Optional.empty()),
                Arguments.of("soon", Optional.empty()),
                Arguments.of("", Optional.empty()),
                Arguments.of("99999999999999999999", Optional.empty()),
                Arguments.of(null, Optional.empty()));
    }

    @ParameterizedTest(name = "Retry-After: [{0}] -> {1}")
    @MethodSource("retryAfterValues")
    void reads_retry_after_as_seconds_or_an_http_date(String value, Optional<Duration> expected) {
        assertThat(RetryAfterHeader.parse(value, NOW)).isEqualTo(expected);
    }

    static Stream<Arguments> retryAfterMsValues() {
        return Stream.of(
                Arguments.of("250", Optional.of(Duration.ofMillis(250))),
                Arguments.of("20.5", Optional.of(Duration.ofNanos(20_500_000))),
                Arguments.of("0", Optional.of(Duration.ZERO)),
                Arguments.of("-1", Optional.empty()),
                Arguments.of("fast", Optional.empty()),
                Arguments.of(null, Optional.empty()));
    }

    @ParameterizedTest(name = "retry-after-ms: [{0}] -> {1}")
    @MethodSource("retryAfterMsValues")
    void reads_retry_after_ms_as_milliseconds(String value, Optional<Duration> expected) {
        assertThat(RetryAfterHeader.parseMillis(value)).isEqualTo(expected);
    }

    @Test
    void prefers_the_more_precise_retry_after_ms_header() {
        // given
        Map<String, String> headers = Map.of("retry-after-ms", "1500", "retry-after", "2");

        // when
        Optional<Duration> delay = RetryAfterHeader.fromHeaders(name -> Optional.ofNullable(headers.get(name)), NOW);

        // then
        assertThat(delay).contains(Duration.ofMillis(1500));
    }

    @Test
    void falls_back_to_retry_after_when_retry_after_ms_is_unreadable() {
        // given
        Map<String, String> headers = Map.of("retry-after-ms", "n/a", "retry-after", "2");

        // when
        Optional<Duration> delay = RetryAfterHeader.fromHeaders(name -> Optional.ofNullable(headers.get(name)), NOW);

        // then
        assertThat(delay).contains(Duration.ofSeconds(2));
    }
}
