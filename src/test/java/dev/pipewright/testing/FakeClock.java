package dev.pipewright.testing;

import dev.pipewright.model.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock that only moves when told to. {@link #sleep} advances it at once and remembers the wait, so tests can
 * assert on back-off delays without spending them. Thread safe.
 */
public final class FakeClock implements Clock {
    private Instant wallStart;
    private long nanos;
    private final List<Duration> sleeps = new ArrayList<>();

    public FakeClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public FakeClock(Instant start) {
        this.wallStart = start;
    }

    @Override
    public synchronized Instant instant() {
        return wallStart.plusNanos(nanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted before sleeping " + duration);
        }
        synchronized (this) {
            sleeps.add(duration);
            if (duration.isPositive()) {
                nanos += duration.toNanos();
            }
        }
    }

    public synchronized void advance(Duration duration) {
        nanos += duration.toNanos();
    }

    /** Every wait asked of this clock, in order. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    public synchronized Duration elapsed() {
        return Duration.ofNanos(nanos);
    }
}
