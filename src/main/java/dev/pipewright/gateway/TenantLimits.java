package dev.pipewright.gateway;

/**
 * The tenants' request and token limits for work that reaches models outside the API routes, such as a pipeline run
 * from the console: the same limiter and the same limits as the API's, so that no door skips them. A master acts
 * unlimited, as on the API.
 */
public interface TenantLimits {
    /** No limits: every run is admitted and nothing is settled. */
    TenantLimits NONE = (tenant, master, estimatedTokens) -> Permit.FREE;

    /**
     * Admits one request of {@code tenant} expected to use {@code estimatedTokens}.
     *
     * @throws LimitReachedException naming the limit reached and when to try again
     */
    Permit admit(String tenant, boolean master, long estimatedTokens);

    /** An admitted request; settled once, with the tokens it used, so that the estimate is corrected. */
    @FunctionalInterface
    interface Permit {
        Permit FREE = usedTokens -> {};

        void settle(long usedTokens);
    }

    /** A request refused because a limit is reached; the message names it and when to try again. */
    final class LimitReachedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LimitReachedException(String message) {
            super(message);
        }
    }
}
