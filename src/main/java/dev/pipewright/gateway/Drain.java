package dev.pipewright.gateway;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gateway's admission of requests: at most a limit of them run at once, and a graceful stop. A request over the
 * limit is refused ({@link Admission#FULL}), so that a flood of slow requests meets 503 instead of exhausting the
 * heap. Once {@link #start} is called, readiness answers 503 and every new request is refused with 503,
 * {@code Retry-After} and {@code Connection: close}, while the requests already admitted run on; {@link #awaitIdle}
 * waits for them. Requests still running when the drain timeout is over are interrupted by {@link #interruptInFlight}:
 * a model call then fails, so a stream that has started ends with an explicit error event. Thread safe.
 */
public final class Drain {
    /** What {@link #enter} decided for a request. */
    enum Admission {
        ADMITTED,
        /** The limit of requests in flight is reached. */
        FULL,
        /** The server is stopping. */
        DRAINING
    }

    private final Set<Thread> inFlight = ConcurrentHashMap.newKeySet();
    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean draining;

    /** A drain that admits any number of requests at once. */
    public Drain() {
        this(Integer.MAX_VALUE);
    }

    /** A drain that admits at most {@code limit} requests at once. */
    public Drain(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the in-flight limit must be at least 1, but was " + limit);
        }
        this.limit = limit;
    }

    /** The most requests admitted at once. */
    public int limit() {
        return limit;
    }

    /** Stops admitting requests; those admitted before go on. Idempotent. */
    public void start() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** The requests admitted and not yet answered. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Admits the calling thread's request unless the drain has started or the limit is reached. The checks come after
     * the registration, so a request is either refused or seen by {@link #awaitIdle}, never neither; requests that
     * arrive together may each see the others and all be refused, never all be admitted past the limit.
     */
    Admission enter() {
        Thread thread = Thread.currentThread();
        inFlight.add(thread);
        if (draining) {
            exit();
            return Admission.DRAINING;
        }
        if (inFlight.size() > limit) {
            exit();
            return Admission.FULL;
        }
        return Admission.ADMITTED;
    }

    void exit() {
        inFlight.remove(Thread.currentThread());
        lock.lock();
        try {
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no admitted request is running or {@code timeout} has passed; true when none is running. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!inFlight.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // A bounded wait: a request that ends between the check and the wait signals no one.
                idle.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Interrupts the requests still running: the drain timeout is over. */
    public void interruptInFlight() {
        inFlight.forEach(Thread::interrupt);
    }
}
