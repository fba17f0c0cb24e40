package dev.pipewright.telemetry;

import dev.pipewright.model.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The wall time one request spent inside model calls. Calls of one request may overlap (parallel pipeline steps), so
 * the account measures the union of their intervals: the time during which at least one call was in progress, never
 * more than the request's own duration. Thread safe.
 */
public final class ModelTimeAccount {
    private final Clock clock;
    private int inProgress;
    private long since;
    private long total;

    ModelTimeAccount(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    synchronized void enter() {
        if (inProgress++ == 0) {
            since = clock.nanoTime();
        }
    }

    synchronized void exit() {
        if (inProgress == 0) {
            throw new IllegalStateException("a model call left the account without entering it");
        }
        if (--inProgress == 0) {
            total += clock.nanoTime() - since;
        }
    }

    /** The time spent in model calls so far, including a call still in progress. */
    public synchronized Duration total() {
        long running = inProgress > 0 ? clock.nanoTime() - since : 0;
        return Duration.ofNanos(total + running);
    }
}
