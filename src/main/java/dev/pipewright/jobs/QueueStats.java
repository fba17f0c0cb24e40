package dev.pipewright.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * Gauges of the queue across all tenants, read at one moment: jobs waiting whose time has come ({@code
 * queueDepth}, excluding those scheduled for later, counted in {@code scheduled}), jobs held by a worker ({@code
 * inFlight}), how long the oldest due job has waited past its {@code runAt} (zero when none waits), the dead letter
 * queue's size, and the total of retries scheduled since the store was created (a counter).
 */
public record QueueStats(
        long queueDepth, long scheduled, long inFlight, Duration oldestWaiting, long deadLettered, long retries) {
    public QueueStats {
        Objects.requireNonNull(oldestWaiting, "oldestWaiting");
    }
}
