package dev.pipewright.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

/** A rate limiter's answer to one request; {@code quotas} lists the tenant's limits as they stand after it. */
public sealed interface Admission {
    List<Quota> quotas();

    /** Let through; {@code reservedTokens} were taken ahead of the call and are settled against real usage after. */
    record Admitted(List<Quota> quotas, long reservedTokens) implements Admission {
        public Admitted {
            quotas = List.copyOf(quotas);
            if (reservedTokens < 0) {
                throw new IllegalArgumentException("reservedTokens must not be negative, but was " + reservedTokens);
            }
        }
    }

    /** Refused because {@code exhausted} ran out; nothing was taken, and a retry after {@code retryAfter} can pass. */
    record Refused(Dimension exhausted, Duration retryAfter, List<Quota> quotas) implements Admission {
        public Refused {
            quotas = List.copyOf(quotas);
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative, but was " + retryAfter);
            }
        }
    }
}
