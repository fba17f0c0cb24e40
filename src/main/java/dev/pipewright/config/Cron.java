package dev.pipewright.config;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}), as crontab(5) reads it: {@code
 * *}, numbers, ranges {@code a-b}, steps {@code *}{@code /n} and {@code a-b/n}, lists {@code a,b}, month and weekday
 * names ({@code JAN}, {@code MON}; Sunday is 0 or 7), and {@code @hourly}, {@code @daily}, {@code @weekly},
 * {@code @monthly}, {@code @yearly}. When both day fields are restricted, a day matches either (crontab's rule).
 * Fire times are wall-clock times in the schedule's zone: a time that a daylight-saving gap skips fires at the first
 * instant after the gap, and a time repeated by an overlap fires once, at its earlier instant. Immutable.
 */
public final class Cron {
    private static final Map<String, String> MACROS = Map.of(
            "@hourly", "0 * * * *",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@weekly", "0 0 * * 0",
            "@monthly", "0 0 1 * *",
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Far enough for any valid expression (February 29 on a Monday recurs within 28 years). */
    private static final int SEARCH_YEARS = 30;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private Cron(String text, String[] fields) {
        this.text = text;
        this.minutes = field(fields[0], "minute", 0, 59, List.of());
        this.hours = field(fields[1], "hour", 0, 23, List.of());
        this.daysOfMonth = field(fields[2], "day of month", 1, 31, List.of());
        this.months = field(fields[3], "month", 1, 12, MONTHS);
        BitSet days = field(fields[4], "day of week", 0, 7, DAYS);
        if (days.get(7)) {
            days.set(0);
        }
        this.daysOfWeek = days;
        this.dayOfMonthRestricted = !fields[2].startsWith("*");
        this.dayOfWeekRestricted = !fields[4].startsWith("*");
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the field and the bad value
     */
    public static Cron parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.trim();
        String expanded = MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
        String[] fields = expanded.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("a cron expression has 5 fields (minute hour day-of-month month"
                    + " day-of-week) or is a macro such as @daily, but '" + text + "' has " + fields.length);
        }
        return new Cron(trimmed, fields);
    }

    /** The first fire time strictly after {@code after}, in {@code zone}; empty when there is none (Feb 30). */
    public Optional<ZonedDateTime> next(ZonedDateTime after, ZoneId zone) {
        LocalDateTime local = after.withZoneSameInstant(zone)
                .toLocalDateTime()
                .truncatedTo(ChronoUnit.MINUTES)
                .plusMinutes(1);
        LocalDateTime limit = local.plusYears(SEARCH_YEARS);
        while (local.isBefore(limit)) {
            if (!months.get(local.getMonthValue())) {
                local = local.withDayOfMonth(1).toLocalDate().plusMonths(1).atStartOfDay();
            } else if (!dayMatches(local.toLocalDate())) {
                local = local.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hours.get(local.getHour())) {
                local = local.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(local.getMinute())) {
                local = local.plusMinutes(1);
            } else {
                ZonedDateTime fire = ZonedDateTime.ofLocal(local, zone, null);
                if (fire.isAfter(after)) {
                    return Optional.of(fire);
                }
                local = local.plusMinutes(1);
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate date) {
        boolean dayOfMonth = daysOfMonth.get(date.getDayOfMonth());
        boolean dayOfWeek = daysOfWeek.get(date.getDayOfWeek().getValue() % 7);
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dayOfMonth || dayOfWeek;
        }
        return dayOfMonth && dayOfWeek;
    }

    private static BitSet field(String field, String name, int min, int max, List<String> names) {
        BitSet values = new BitSet(max + 1);
        for (String part : field.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), name, 1, max, List.of(), field);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                from = number(ends[0], name, min, max, names, field);
                to = number(ends[1], name, min, max, names, field);
                if (to < from) {
                    throw new IllegalArgumentException(
                            "the " + name + " range '" + range + "' ends before it starts, in '" + field + "'");
                }
            } else {
                from = number(range, name, min, max, names, field);
                to = slash >= 0 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                values.set(value);
            }
        }
        return values;
    }

    private static int number(String text, String name, int min, int max, List<String> names, String field) {
        int named = names.indexOf(text.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return names == MONTHS ? named + 1 : named;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // Reported below with the field's range.
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not a " + name + " (" + min + "-" + max + ") in '" + field + "'");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cron cron && cron.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
