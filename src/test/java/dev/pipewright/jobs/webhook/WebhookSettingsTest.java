package dev.pipewright.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookSettingsTest {
    private final WebhookSettings settings =
            WebhookSettings.defaults().withRetries(10, Duration.ofSeconds(30), Duration.ofHours(2));

    @ParameterizedTest
    @CsvSource(textBlock = """
            1,  0.0, 30000
            2,  0.0, 60000
            3,  0.0, 120000
            9,  0.0, 7200000
            40, 0.0, 7200000
            1,  1.0, 22500
            3,  0.5, 105000
            """)
    void backs_off_exponentially_up_to_the_cap_with_jitter_off_the_top(int retry, double jitter, long millis) {
        // when
        Duration delay = settings.delayBefore(retry, jitter);

        // then
        assertThat(delay).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void a_claim_must_outlast_a_call() {
        // when / then
        assertThatThrownBy(() -> new WebhookSettings(
                        3,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        1024,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(15)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("claimFor (PT15S) must outlast a call, connectTimeout + readTimeout (PT15S)");
    }
}
