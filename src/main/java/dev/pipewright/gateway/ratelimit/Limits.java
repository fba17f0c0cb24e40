package dev.pipewright.gateway.ratelimit;

import dev.pipewright.config.TenantConfig;
import java.util.OptionalLong;

/**
 * A tenant's limits per minute: requests ({@code rpm}) and tokens ({@code tpm}, input plus output). An empty limit
 * is no limit.
 */
public record Limits(OptionalLong requestsPerMinute, OptionalLong tokensPerMinute) {
    public static final Limits NONE = new Limits(OptionalLong.empty(), OptionalLong.empty());

    public Limits {
        requirePositive("requestsPerMinute", requestsPerMinute);
        requirePositive("tokensPerMinute", tokensPerMinute);
    }

    public static Limits of(TenantConfig tenant) {
        return new Limits(widen(tenant.rpm()), widen(tenant.tpm()));
    }

    public static Limits of(long requestsPerMinute, long tokensPerMinute) {
        return new Limits(OptionalLong.of(requestsPerMinute), OptionalLong.of(tokensPerMinute));
    }

    private static OptionalLong widen(java.util.OptionalInt limit) {
        return limit.isPresent() ? OptionalLong.of(limit.getAsInt()) : OptionalLong.empty();
    }

    private static void requirePositive(String name, OptionalLong limit) {
        if (limit.isPresent() && limit.getAsLong() <= 0) {
            throw new IllegalArgumentException(name + " must be positive, but was " + limit.getAsLong());
        }
    }
}
