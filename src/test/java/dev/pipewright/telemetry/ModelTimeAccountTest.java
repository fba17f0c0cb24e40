package dev.pipewright.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModelTimeAccountTest {
    private final FakeClock clock = new FakeClock();
    private final ModelTimeAccounts accounts = new ModelTimeAccounts(clock);

    @Test
    void overlapping_calls_of_one_request_count_once() {
        // given
        ModelTimeAccounts.Opened opened = accounts.open("req-1");

        // when: call a runs 0–300 ms, call b 100–500 ms, then nothing for 200 ms
        ModelTimeAccounts.Charge a = accounts.charge("req-1");
        clock.advance(Duration.ofMillis(100));
        ModelTimeAccounts.Charge b = accounts.charge("req-1");
        clock.advance(Duration.ofMillis(200));
        a.close();
        clock.advance(Duration.ofMillis(200));
        b.close();
        clock.advance(Duration.ofMillis(200));

        // then
        assertThat(opened.account().total()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void calls_of_a_request_without_an_open_account_are_not_charged() {
        // given
        ModelTimeAccounts.Opened opened = accounts.open("req-1");
        opened.close();

        // when
        try (ModelTimeAccounts.Charge charge = accounts.charge("req-1")) {
            clock.advance(Duration.ofSeconds(1));
        }

        // then
        assertThat(charge(opened)).isEqualTo(Duration.ZERO);
    }

    private static Duration charge(ModelTimeAccounts.Opened opened) {
        return opened.account().total();
    }
}
