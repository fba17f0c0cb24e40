package dev.pipewright.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A watchdog that never fires by itself: it keeps what was scheduled, so a test can fire it at the exact moment it
 * wants to examine, on the thread it chooses.
 */
final class CapturingWatchdog extends ScheduledThreadPoolExecutor {
    private final List<Runnable> alarms = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final List<ScheduledFuture<?>> futures = new ArrayList<>();

    CapturingWatchdog() {
        super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        alarms.add(command);
        delays.add(Duration.ofNanos(unit.toNanos(delay)));
        ScheduledFuture<?> future = super.schedule(() -> {}, 1, TimeUnit.DAYS);
        futures.add(future);
        return future;
    }

    /** Runs the latest alarm on the calling thread, as if its time had come. */
    void fire() {
        Runnable alarm;
        synchronized (this) {
            alarm = alarms.getLast();
        }
        alarm.run();
    }

    synchronized Duration lastDelay() {
        return delays.getLast();
    }

    synchronized ScheduledFuture<?> lastAlarm() {
        return futures.getLast();
    }
}
