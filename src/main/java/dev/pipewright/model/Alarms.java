package dev.pipewright.model;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Timers for alarms that are mostly cancelled before they ring, such as the bound of every call: one daemon platform
 * thread, and a cancelled alarm leaves the queue at once, so a busy process does not hold one for every call that
 * already returned.
 */
public final class Alarms {
    private Alarms() {}

    /** A new timer whose thread, started with the first alarm, is named {@code threadName}. */
    public static ScheduledExecutorService newTimer(String threadName) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name(threadName).factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
