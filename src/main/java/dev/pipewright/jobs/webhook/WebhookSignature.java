package dev.pipewright.jobs.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Pipewright-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, the MAC taken with the
 * tenant's secret over {@code t + "." + body}. The timestamp is inside the MAC so a captured delivery cannot be
 * replayed later than the receiver's tolerance. Stateless and thread safe.
 */
public final class WebhookSignature {
    public static final String HEADER = "Pipewright-Signature";

    /** How far a receiver should let the signed time stray from its own clock; the README's example uses this. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {}

    /** The header value for {@code body} sent at {@code time}. */
    public static String header(byte[] secret, Instant time, byte[] body) {
        long seconds = time.getEpochSecond();
        return "t=" + seconds + ",v1=" + HexFormat.of().formatHex(mac(secret, seconds, body));
    }

    /**
     * Whether {@code header} signs {@code body} with {@code secret} at a time within {@code tolerance} of {@code now}.
     * Any {@code v1} entry may match, so a sender can sign with an old and a new secret while rotating. Compares in
     * constant time.
     */
    public static boolean verify(byte[] secret, String header, byte[] body, Instant now, Duration tolerance) {
        OptionalLong seconds = OptionalLong.empty();
        List<String> signatures = new ArrayList<>();
        for (String part : Objects.requireNonNull(header, "header").split(",")) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                return false;
            }
            String key = part.substring(0, equals).strip();
            String value = part.substring(equals + 1).strip();
            if (key.equals("t")) {
                seconds = parseSeconds(value);
            } else if (key.equals("v1")) {
                signatures.add(value);
            }
        }
        if (seconds.isEmpty() || Math.abs(now.getEpochSecond() - seconds.getAsLong()) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected =
                HexFormat.of().formatHex(mac(secret, seconds.getAsLong(), body)).getBytes(StandardCharsets.US_ASCII);
        return signatures.stream()
                .anyMatch(signature -> MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII)));
    }

    private static OptionalLong parseSeconds(String value) {
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException notANumber) {
            return OptionalLong.empty();
        }
    }

    private static byte[] mac(byte[] secret, long seconds, byte[] body) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("a webhook secret must not be empty");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update((seconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException unavailable) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", unavailable);
        }
    }
}
