package dev.pipewright.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final byte[] SECRET = "whsec_test".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"id\":\"whd_1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant SENT = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void a_signature_verifies_with_the_same_secret_and_body() {
        // given
        String header = WebhookSignature.header(SECRET, SENT, BODY);

        // when
        boolean valid = WebhookSignature.verify(SECRET, header, BODY, SENT.plusSeconds(30), Duration.ofMinutes(5));

        // then
        assertThat(header).startsWith("t=" + SENT.getEpochSecond() + ",v1=").hasSize(2 + 10 + 4 + 64);
        assertThat(valid).isTrue();
    }

    @Test
    void matches_an_independent_hmac_of_timestamp_dot_body() throws Exception {
        // given
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        String expected = java.util.HexFormat.of()
                .formatHex(
                        mac.doFinal((SENT.getEpochSecond() + ".{\"id\":\"whd_1\"}").getBytes(StandardCharsets.UTF_8)));

        // when
        String header = WebhookSignature.header(SECRET, SENT, BODY);

        // then
        assertThat(header).endsWith(",v1=" + expected);
    }

    @Test
    void a_changed_body_another_secret_or_an_old_timestamp_do_not_verify() {
        // given
        String header = WebhookSignature.header(SECRET, SENT, BODY);
        Duration tolerance = Duration.ofMinutes(5);

        // then
        assertThat(WebhookSignature.verify(SECRET, header, "{}".getBytes(StandardCharsets.UTF_8), SENT, tolerance))
                .isFalse();
        assertThat(WebhookSignature.verify("other".getBytes(StandardCharsets.UTF_8), header, BODY, SENT, tolerance))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, SENT.plus(Duration.ofMinutes(6)), tolerance))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, "v1=abc", BODY, SENT, tolerance))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, "t=x,v1=abc", BODY, SENT, tolerance))
                .isFalse();
    }

    @Test
    void any_of_several_signatures_may_match_during_a_secret_rotation() {
        // given
        String current = WebhookSignature.header(SECRET, SENT, BODY);
        String header = "t=" + SENT.getEpochSecond() + ",v1=" + "0".repeat(64) + ","
                + current.substring(current.indexOf("v1="));

        // then
        assertThat(WebhookSignature.verify(SECRET, header, BODY, SENT, Duration.ofMinutes(5)))
                .isTrue();
    }
}
