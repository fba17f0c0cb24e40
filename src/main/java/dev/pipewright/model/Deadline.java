package dev.pipewright.model;

import java.time.Duration;

/** A point on a clock's monotonic ticker after which work must stop. */
public record Deadline(Clock clock, long atNanos) {

    public static Deadline after(Duration duration, Clock clock) {
        return new Deadline(clock, clock.nanoTime() + duration.toNanos());
    }

    public Duration remaining() {
        return Duration.ofNanos(atNanos - clock.nanoTime());
    }

    public boolean expired() {
        return !remaining().isPositive();
    }

    /** The earlier of this deadline and {@code duration} from now. */
    public Duration cap(Duration duration) {
        Duration remaining = remaining();
        return remaining.compareTo(duration) < 0 ? remaining : duration;
    }
}
