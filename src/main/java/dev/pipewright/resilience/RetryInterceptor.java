package dev.pipewright.resilience;

import dev.pipewright.config.RetryPolicy;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Tries one model up to its {@link RetryPolicy#attempts()} times (the first attempt included), again only after a
 * {@linkplain ModelError#retryable() retryable} error.
 *
 * <p>The wait before attempt {@code n + 1} is the larger of the provider's Retry-After (so never sooner than asked)
 * and an exponential back-off {@code base_delay * 2^(n-1)}, capped at {@code max_delay}, with <em>equal jitter</em>:
 * a uniform draw between half and all of the capped value. Equal jitter rather than full jitter keeps a floor under
 * every wait, so a burst of failing calls never comes straight back at the provider.
 *
 * <p>No wait runs into the deadline: when the wait would reach it, the retries stop and the last error is thrown as
 * it is. The error says what really went wrong, and being retryable it lets the fallback link try another model in
 * the time that is left instead of giving up. Waits go through {@link Clock#sleep} only; an interrupt while waiting
 * is a cancelled call: the interrupt flag is restored and the call fails with {@link ModelError.DeadlineExceeded},
 * which stops the fallbacks too. A stream that has started to reach the caller is never retried. Thread safe if the
 * random generator is.
 */
public final class RetryInterceptor implements ModelInterceptor {
    /** Beyond this many doublings every back-off is capped anyway; stopping here keeps the arithmetic exact. */
    private static final int MAX_DOUBLINGS = 32;

    private final Clock clock;
    private final RandomGenerator random;

    public RetryInterceptor(Clock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation first = chain.invocation();
        RetryPolicy policy = first.model().retry();
        Invocation current = first;
        while (true) {
            try {
                return chain.proceed(current);
            } catch (ModelException e) {
                int failed = current.attempt();
                if (!e.error().retryable() || failed >= policy.attempts() || current.streamStarted()) {
                    throw e;
                }
                Duration delay = delayAfter(failed, e.error(), policy);
                if (delay.compareTo(first.deadline().remaining()) >= 0) {
                    throw e;
                }
                waitFor(delay, first, e);
                current = first.withAttempt(failed + 1, delay);
            }
        }
    }

    /** The wait after the failed attempt number {@code failed} (from 1). */
    private Duration delayAfter(int failed, ModelError error, RetryPolicy policy) {
        Duration backoff = jittered(capped(failed, policy));
        return error.retryAfter()
                .filter(retryAfter -> retryAfter.compareTo(backoff) > 0)
                .orElse(backoff);
    }

    private static Duration capped(int failed, RetryPolicy policy) {
        int doublings = Math.min(failed - 1, MAX_DOUBLINGS);
        Duration exponential = policy.baseDelay().multipliedBy(1L << doublings);
        return exponential.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : exponential;
    }

    private Duration jittered(Duration capped) {
        long half = capped.toNanos() / 2;
        return Duration.ofNanos(capped.toNanos() - half + (long) (random.nextDouble() * half));
    }

    private void waitFor(Duration delay, Invocation invocation, ModelException lastFailure) {
        try {
            clock.sleep(delay);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            ModelException cancelled = new ModelException(
                    new ModelError.DeadlineExceeded("the call was cancelled while waiting " + delay + " to retry model "
                            + invocation.model().alias()),
                    interrupted);
            cancelled.addSuppressed(lastFailure);
            throw cancelled;
        }
    }
}
