package dev.pipewright.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the delay a provider asks for before the next try, for provider adapters to put into
 * {@code ModelError.RateLimited} or {@code ModelError.Unavailable}. Every result is a duration that is never negative;
 * a value that cannot be read is empty, never an exception. Fractions are rounded up, so a retry is never sooner than
 * asked.
 */
public final class RetryAfterHeader {
    public static final String RETRY_AFTER = "retry-after";
    public static final String RETRY_AFTER_MS = "retry-after-ms";

    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}(\\.\\d{1,18})?");
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000_000L);

    private RetryAfterHeader() {}

    /**
     * The delay from a {@code Retry-After} value: delta-seconds (an integer, or a decimal as some providers send) or
     * an HTTP-date (RFC 1123), measured from {@code now}; a date in the past means no wait.
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.strip();
        if (NUMBER.matcher(trimmed).matches()) {
            return seconds(new BigDecimal(trimmed));
        }
        return httpDate(trimmed).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    }

    /** The delay from a {@code retry-after-ms} value: milliseconds, an integer or a decimal. */
    public static Optional<Duration> parseMillis(String value) {
        if (value == null || !NUMBER.matcher(value.strip()).matches()) {
            return Optional.empty();
        }
        return seconds(new BigDecimal(value.strip()).movePointLeft(3));
    }

    /**
     * The delay from a response's headers, looked up by their lower-case names: {@code retry-after-ms} when it can
     * be read, being the more precise, else {@code retry-after}.
     */
    public static Optional<Duration> fromHeaders(Function<String, Optional<String>> header, Instant now) {
        return header.apply(RETRY_AFTER_MS)
                .flatMap(RetryAfterHeader::parseMillis)
                .or(() -> header.apply(RETRY_AFTER).flatMap(value -> parse(value, now)));
    }

    private static Optional<Duration> seconds(BigDecimal seconds) {
        if (seconds.compareTo(MAX_SECONDS) > 0) {
            return Optional.empty();
        }
        long nanos = seconds.movePointRight(9).setScale(0, RoundingMode.CEILING).longValueExact();
        return Optional.of(Duration.ofNanos(nanos));
    }

    private static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
