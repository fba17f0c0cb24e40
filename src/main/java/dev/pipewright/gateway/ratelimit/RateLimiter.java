package dev.pipewright.gateway.ratelimit;

/**
 * Per-tenant limits on requests and tokens per minute, refilled continuously (a tenant with 600 rpm gets one
 * request back every 100 ms). Tokens are taken in two steps: an estimate when the request arrives, then the
 * difference to the real usage once it is known, which may push the balance below zero so later requests wait.
 * Implementations are thread safe; those that share state (Redis) give every replica one common limit.
 */
public interface RateLimiter extends AutoCloseable {

    /** Takes one request and {@code estimatedTokens} (capped at the tenant's tpm) or, if either is short, nothing. */
    Admission admit(String tenant, Limits limits, long estimatedTokens);

    /** Charges ({@code tokenDifference > 0}) or refunds ({@code < 0}) tokens once the real usage is known. */
    void settle(String tenant, Limits limits, long tokenDifference);

    @Override
    void close();
}
