package dev.pipewright.cost;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;

/**
 * How {@code from} and {@code to} of a cost report are written: an instant ({@code 2026-11-29T10:00:00Z}) or a UTC
 * date ({@code 2026-11-29}). A date as {@code from} starts at its midnight; as {@code to} it includes the whole day.
 * Without {@code from} a report starts at the beginning of the current UTC month; without {@code to} it ends now.
 */
public final class CostPeriod {
    private CostPeriod() {}

    public static Instant from(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return now.atOffset(ZoneOffset.UTC)
                    .toLocalDate()
                    .with(TemporalAdjusters.firstDayOfMonth())
                    .atStartOfDay()
                    .toInstant(ZoneOffset.UTC);
        }
        return parse("from", text, false);
    }

    public static Instant to(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return now.plusMillis(1);
        }
        return parse("to", text, true);
    }

    private static Instant parse(String name, String text, boolean endOfDay) {
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + ": '" + text + "' is not a date (2026-11-29) or an instant (2026-11-29T10:00:00Z)");
        }
    }
}
