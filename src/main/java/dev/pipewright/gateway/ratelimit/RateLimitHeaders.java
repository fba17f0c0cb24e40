package dev.pipewright.gateway.ratelimit;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The rate-limit headers as OpenAI sends them, on every limited response: {@code x-ratelimit-limit-requests},
 * {@code x-ratelimit-remaining-requests}, {@code x-ratelimit-reset-requests} (time until the bucket is full again,
 * written like {@code 1s}, {@code 6m0s}, {@code 120ms}) and the same for {@code tokens}; a refusal adds
 * {@code Retry-After} in whole seconds, rounded up so a client that obeys it is never refused again for the same
 * reason.
 */
public final class RateLimitHeaders {
    private RateLimitHeaders() {}

    public static void apply(ServerResponse response, Admission admission) {
        for (Quota quota : admission.quotas()) {
            String suffix = quota.dimension().headerSuffix();
            response.header("x-ratelimit-limit-" + suffix, Long.toString(quota.limit()));
            response.header("x-ratelimit-remaining-" + suffix, Long.toString(quota.remaining()));
            response.header("x-ratelimit-reset-" + suffix, duration(quota.reset()));
        }
        if (admission instanceof Admission.Refused refused) {
            response.header(HeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds(refused.retryAfter())));
        }
    }

    /** Whole seconds, rounded up, at least one: {@code Retry-After: 0} would invite an immediate retry. */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** A duration as OpenAI writes it: {@code 0s}, {@code 120ms}, {@code 8.64s}, {@code 6m0s}, {@code 1h2m3s}. */
    public static String duration(Duration duration) {
        long millis = duration.toMillis() + (duration.toNanosPart() % 1_000_000 > 0 ? 1 : 0);
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        String seconds =
                BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros().toPlainString() + "s";
        if (hours > 0) {
            return hours + "h" + minutes + "m" + seconds;
        }
        return minutes > 0 ? minutes + "m" + seconds : seconds;
    }
}
