package dev.pipewright.jobs;

import dev.pipewright.model.Clock;
import dev.pipewright.store.StoreException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries a store call again while the database is briefly unavailable (a restart, a failover, a SQLite file locked
 * past its busy timeout by another process), pausing between tries, for at most {@code budget}. Only {@link
 * StoreException} is retried: the store's transactions commit all or nothing, so a failed one can be repeated.
 */
final class StoreRetry {
    private static final Logger log = LoggerFactory.getLogger(StoreRetry.class);
    static final Duration PAUSE = Duration.ofMillis(250);

    private StoreRetry() {}

    /**
     * The result of {@code call}, tried until it succeeds or {@code budget} has passed.
     *
     * @throws StoreException the last failure, once the budget is spent or the thread is interrupted
     */
    static <T> T retrying(Clock clock, Duration budget, String what, Supplier<T> call) {
        long giveUpAt = clock.nanoTime() + budget.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (StoreException e) {
                if (clock.nanoTime() + PAUSE.toNanos() > giveUpAt || !pause(clock)) {
                    throw e;
                }
                log.warn("{} failed, trying again in {}: {}", what, PAUSE, e.getMessage());
            }
        }
    }

    private static boolean pause(Clock clock) {
        try {
            clock.sleep(PAUSE);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
