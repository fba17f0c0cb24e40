package dev.pipewright.cli;

import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.QueueStats;
import dev.pipewright.model.Clock;
import dev.pipewright.telemetry.QueueGauges;
import java.time.Duration;

/**
 * The job store's queue as the telemetry gauges see it. A scrape reads every gauge at once, so one statistics query
 * serves them all: its answer is kept for {@link #FRESH_FOR}. Thread safe.
 */
final class StoreQueueGauges implements QueueGauges {
    static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private final JobStore store;
    private final Clock clock;
    private QueueStats stats;
    private long readAtNanos;

    StoreQueueGauges(JobStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private synchronized QueueStats stats() {
        long now = clock.nanoTime();
        if (stats == null || now - readAtNanos >= FRESH_FOR.toNanos()) {
            stats = store.stats();
            readAtNanos = now;
        }
        return stats;
    }

    @Override
    public long depth() {
        return stats().queueDepth() + stats().scheduled();
    }

    @Override
    public long inFlight() {
        return stats().inFlight();
    }

    @Override
    public Duration oldestWaiting() {
        return stats().oldestWaiting();
    }

    @Override
    public long deadLetters() {
        return stats().deadLettered();
    }
}
