package dev.pipewright.provider.anthropic;

import dev.pipewright.model.CallOptions;
import java.time.Duration;

/**
 * The three clocks of a stream: the whole call's timeout, the wait for the first text, and the gap between two
 * events once one has arrived. Each wait is for the nearest of them, and a wait that runs out is that limit passing,
 * so the limits hold even on a clock that does not move by itself. Not thread safe: one per stream.
 */
final class StreamLimits {
    /** How long to wait for the next event, and what it means when nothing came. */
    record Wait(Duration duration, String reason) {}

    private final CallOptions options;
    private final long deadline;
    private final long firstTextBy;
    private long lastEvent;
    private boolean anyEvent;
    private boolean text;

    StreamLimits(CallOptions options, long startNanos) {
        this.options = options;
        this.deadline = startNanos + options.timeout().toNanos();
        this.firstTextBy = startNanos + options.firstTokenTimeout().toNanos();
    }

    Wait next(long nowNanos) {
        Wait wait = new Wait(
                Duration.ofNanos(deadline - nowNanos),
                options.model() + " did not finish its stream within " + options.timeout());
        if (!text && firstTextBy - nowNanos < wait.duration().toNanos()) {
            wait = new Wait(
                    Duration.ofNanos(firstTextBy - nowNanos),
                    options.model() + " sent no text within " + options.firstTokenTimeout());
        }
        long idleEnd = lastEvent + options.idleTimeout().toNanos();
        if (anyEvent && idleEnd - nowNanos < wait.duration().toNanos()) {
            wait = new Wait(
                    Duration.ofNanos(idleEnd - nowNanos),
                    options.model() + " stream stalled: no event for " + options.idleTimeout());
        }
        return wait;
    }

    void eventAt(long nowNanos) {
        lastEvent = nowNanos;
        anyEvent = true;
    }

    void textArrived() {
        text = true;
    }
}
