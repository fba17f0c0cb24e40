package dev.pipewright.provider.simulated;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a request that must never answer (no-answer, stream-stall) waits for: the server's stop, or at most
 * {@link #MAX_HOLD}, so a forgotten server does not keep parked requests forever. Waiting parks a virtual thread,
 * which pins no platform thread.
 */
final class StopSignal {
    static final Duration MAX_HOLD = Duration.ofMinutes(10);

    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Returns when the server stops, after {@link #MAX_HOLD}, or when the handler thread is interrupted. */
    void hold() {
        try {
            stopped.await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void release() {
        stopped.countDown();
    }
}
