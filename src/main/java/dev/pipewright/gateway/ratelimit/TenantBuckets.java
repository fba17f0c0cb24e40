package dev.pipewright.gateway.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rate-limit rules over Bucket4j buckets, whatever holds them: one bucket per tenant and dimension, refilled
 * greedily over a minute. A bucket's key carries its limit, so a changed limit starts a fresh bucket rather than
 * inheriting one sized for the old limit.
 */
final class TenantBuckets {
    static final Duration WINDOW = Duration.ofMinutes(1);

    /** Finds or creates the bucket stored under {@code key}. */
    @FunctionalInterface
    interface Source {
        Bucket bucket(String key, Bandwidth bandwidth);
    }

    private final Source source;

    TenantBuckets(Source source) {
        this.source = source;
    }

    Admission admit(String tenant, Limits limits, long estimatedTokens) {
        List<Quota> quotas = new ArrayList<>(2);
        Optional<Bucket> requests = bucket(tenant, Dimension.REQUESTS, limits.requestsPerMinute());
        Optional<Bucket> tokens = bucket(tenant, Dimension.TOKENS, limits.tokensPerMinute());
        if (requests.isPresent()) {
            long rpm = limits.requestsPerMinute().getAsLong();
            ConsumptionProbe probe = requests.get().tryConsumeAndReturnRemaining(1);
            quotas.add(quota(Dimension.REQUESTS, rpm, probe));
            if (!probe.isConsumed()) {
                tokens.ifPresent(bucket -> quotas.add(
                        quota(Dimension.TOKENS, limits.tokensPerMinute().getAsLong(), bucket.getAvailableTokens())));
                return new Admission.Refused(Dimension.REQUESTS, waitOf(probe), quotas);
            }
        }
        if (tokens.isEmpty()) {
            return new Admission.Admitted(quotas, 0);
        }
        long tpm = limits.tokensPerMinute().getAsLong();
        long reserve = Math.clamp(estimatedTokens, 0, tpm);
        if (reserve == 0) {
            quotas.add(quota(Dimension.TOKENS, tpm, tokens.get().getAvailableTokens()));
            return new Admission.Admitted(quotas, 0);
        }
        ConsumptionProbe probe = tokens.get().tryConsumeAndReturnRemaining(reserve);
        quotas.add(quota(Dimension.TOKENS, tpm, probe));
        if (probe.isConsumed()) {
            return new Admission.Admitted(quotas, reserve);
        }
        requests.ifPresent(bucket -> {
            bucket.addTokens(1);
            Quota taken = quotas.getFirst();
            Duration oneRequest = WINDOW.dividedBy(taken.limit());
            Duration reset =
                    taken.reset().compareTo(oneRequest) > 0 ? taken.reset().minus(oneRequest) : Duration.ZERO;
            quotas.set(0, new Quota(Dimension.REQUESTS, taken.limit(), taken.remaining() + 1, reset));
        });
        return new Admission.Refused(Dimension.TOKENS, waitOf(probe), quotas);
    }

    void settle(String tenant, Limits limits, long tokenDifference) {
        Optional<Bucket> tokens = bucket(tenant, Dimension.TOKENS, limits.tokensPerMinute());
        if (tokens.isEmpty() || tokenDifference == 0) {
            return;
        }
        if (tokenDifference > 0) {
            tokens.get().consumeIgnoringRateLimits(tokenDifference);
        } else {
            tokens.get().addTokens(-tokenDifference);
        }
    }

    private Optional<Bucket> bucket(String tenant, Dimension dimension, OptionalLong limit) {
        if (limit.isEmpty()) {
            return Optional.empty();
        }
        long perMinute = limit.getAsLong();
        Bandwidth bandwidth = Bandwidth.builder()
                .capacity(perMinute)
                .refillGreedy(perMinute, WINDOW)
                .build();
        return Optional.of(source.bucket(tenant + ":" + dimension.headerSuffix() + ":" + perMinute, bandwidth));
    }

    private static Quota quota(Dimension dimension, long limit, ConsumptionProbe probe) {
        return new Quota(
                dimension,
                limit,
                Math.clamp(probe.getRemainingTokens(), 0, limit),
                Duration.ofNanos(probe.getNanosToWaitForReset()));
    }

    /** The quota as a client sees it; a balance driven below zero by reconciliation resets later than an empty one. */
    private static Quota quota(Dimension dimension, long limit, long balance) {
        double missing = limit - balance;
        Duration reset = Duration.ofNanos((long) Math.ceil(missing * WINDOW.toNanos() / limit));
        return new Quota(dimension, limit, Math.clamp(balance, 0, limit), reset);
    }

    private static Duration waitOf(ConsumptionProbe probe) {
        return Duration.ofNanos(probe.getNanosToWaitForRefill());
    }
}
