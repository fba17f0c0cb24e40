package dev.pipewright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0 2 * * *       | 2026-03-10T01:59:00+01:00[Europe/Paris] | 2026-03-10T02:00+01:00[Europe/Paris]
            0 2 * * *       | 2026-03-10T02:00:00+01:00[Europe/Paris] | 2026-03-11T02:00+01:00[Europe/Paris]
            */15 * * * *    | 2026-03-10T10:07:30+01:00[Europe/Paris] | 2026-03-10T10:15+01:00[Europe/Paris]
            0 9 * * MON-FRI | 2026-03-13T09:00:00+01:00[Europe/Paris] | 2026-03-16T09:00+01:00[Europe/Paris]
            0 0 1 JAN *     | 2026-03-10T00:00:00+01:00[Europe/Paris] | 2027-01-01T00:00+01:00[Europe/Paris]
            0 0 13 * 5      | 2026-03-01T00:00:00+01:00[Europe/Paris] | 2026-03-06T00:00+01:00[Europe/Paris]
            30 2 * * *      | 2026-03-29T00:00:00+01:00[Europe/Paris] | 2026-03-29T03:30+02:00[Europe/Paris]
            30 2 * * *      | 2026-10-25T00:00:00+02:00[Europe/Paris] | 2026-10-25T02:30+02:00[Europe/Paris]
            30 2 * * *      | 2026-10-25T02:30:00+02:00[Europe/Paris] | 2026-10-26T02:30+01:00[Europe/Paris]
            @daily          | 2026-03-10T12:00:00+01:00[Europe/Paris] | 2026-03-11T00:00+01:00[Europe/Paris]
            5/20 * * * 7    | 2026-03-15T10:26:00+01:00[Europe/Paris] | 2026-03-15T10:45+01:00[Europe/Paris]
            """)
    void the_next_fire_time_is_the_first_matching_wall_clock_minute_after(String cron, String after, String next) {
        // when
        ZonedDateTime fire =
                Cron.parse(cron).next(ZonedDateTime.parse(after), PARIS).orElseThrow();

        // then
        assertThat(fire).isEqualTo(ZonedDateTime.parse(next));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0 2 * *        | has 4
            60 * * * *     | '60' is not a minute (0-59)
            0 24 * * *     | '24' is not a hour (0-23)
            0 0 * FOO *    | 'FOO' is not a month (1-12)
            0 0 * * 5-1    | ends before it starts
            """)
    void a_bad_expression_is_refused_naming_the_field_and_the_value(String cron, String message) {
        assertThatThrownBy(() -> Cron.parse(cron)).hasMessageContaining(message.trim());
    }

    @ParameterizedTest
    @CsvSource({"0 0 30 2 *"})
    void an_expression_that_never_fires_has_no_next_time(String cron) {
        assertThat(Cron.parse(cron).next(ZonedDateTime.parse("2026-01-01T00:00:00Z"), PARIS))
                .isEmpty();
    }
}
