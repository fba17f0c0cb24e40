package dev.pipewright.model;

import java.time.Duration;
import java.time.InstantSource;

/**
 * The time seam: wall-clock instants, a monotonic ticker for durations and deadlines, and the one way production
 * code waits (between retries, for a simulated latency). Tests pass a fake whose {@link #sleep} advances time at
 * once, so months of back-off run in milliseconds.
 */
public interface Clock extends InstantSource {

    /** Monotonic nanoseconds, comparable only with other readings of the same clock. */
    long nanoTime();

    /** Waits {@code duration}; interruption (a cancelled call) ends the wait early with the exception. */
    void sleep(Duration duration) throws InterruptedException;

    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
