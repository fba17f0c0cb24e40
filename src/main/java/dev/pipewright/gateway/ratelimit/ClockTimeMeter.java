package dev.pipewright.gateway.ratelimit;

import dev.pipewright.model.Clock;
import io.github.bucket4j.TimeMeter;
import java.time.Instant;

/** Bucket4j's time source over our {@link Clock}, so tests refill buckets by advancing a fake clock. */
record ClockTimeMeter(Clock clock, boolean wallClock) implements TimeMeter {

    /** For buckets in this process: the monotonic ticker, immune to wall-clock steps. */
    static ClockTimeMeter monotonic(Clock clock) {
        return new ClockTimeMeter(clock, false);
    }

    /** For buckets shared between processes, whose tickers have no common origin. */
    static ClockTimeMeter wall(Clock clock) {
        return new ClockTimeMeter(clock, true);
    }

    @Override
    public long currentTimeNanos() {
        if (!wallClock) {
            return clock.nanoTime();
        }
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }

    @Override
    public boolean isWallClockBased() {
        return wallClock;
    }
}
