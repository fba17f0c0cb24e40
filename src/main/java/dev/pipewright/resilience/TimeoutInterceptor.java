package dev.pipewright.resilience;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.Alarms;
import dev.pipewright.model.Attempt;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds one attempt by the invocation's timeout, cut short by the deadline; an attempt with no time left fails with
 * {@link ModelError.DeadlineExceeded} before it starts.
 *
 * <p>Contract: the client receives the bound in {@code CallOptions.timeout} and must give up after it. As a hard
 * bound for clients that hang anyway, a watchdog interrupts the calling thread once the timeout and {@link #GRACE}
 * have passed in real time (the grace lets a client report its own, more precise, timeout first). If the watchdog
 * fired, the attempt's failure becomes {@link ModelError.Timeout}, and in every case the interrupt flag it set is
 * cleared before this link returns, so no stray interrupt reaches the retry wait or the caller. A response that
 * arrives although the watchdog fired is still returned. Interrupts from anyone else are left alone: the watchdog
 * does not fire on a thread that is already interrupted.
 */
public final class TimeoutInterceptor implements ModelInterceptor {
    static final Duration GRACE = Duration.ofMillis(100);

    private final Clock clock;
    private final ScheduledExecutorService watchdog;

    public TimeoutInterceptor(Clock clock, ScheduledExecutorService watchdog) {
        this.clock = Objects.requireNonNull(clock);
        this.watchdog = Objects.requireNonNull(watchdog);
    }

    /** A watchdog fit for one process's calls (see {@link Alarms}). */
    public static ScheduledExecutorService newWatchdog() {
        return Alarms.newTimer("pipewright-timeouts");
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation invocation = chain.invocation();
        Duration timeout = invocation.deadline().cap(invocation.timeout());
        if (!timeout.isPositive()) {
            throw new ModelException(new ModelError.DeadlineExceeded(
                    "no time was left to call model " + invocation.model().alias() + " before the deadline"));
        }
        Watch watch = new Watch(Thread.currentThread());
        ScheduledFuture<?> alarm = watchdog.schedule(watch, timeout.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
        long start = clock.nanoTime();
        try {
            ModelResponse response = chain.proceed(invocation.withTimeout(timeout));
            watch.finish();
            return response;
        } catch (RuntimeException | Error e) {
            if (watch.finish()) {
                throw timedOut(invocation, timeout, start, e);
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    private ModelException timedOut(Invocation invocation, Duration timeout, long startNanos, Throwable failure) {
        ModelConfig model = invocation.model();
        ModelError error = new ModelError.Timeout("model " + model.alias() + " gave no answer within " + timeout);
        if (!(failure instanceof ModelException)) {
            // The chain records only ModelExceptions; a client that broke off some other way still made an attempt.
            invocation
                    .attempts()
                    .record(new Attempt(
                            model.alias(),
                            model.model(),
                            invocation.attempt(),
                            invocation.waitedBefore(),
                            Duration.ofNanos(clock.nanoTime() - startNanos),
                            Optional.of(error)));
        }
        return new ModelException(error, failure);
    }

    /**
     * The handshake between the watchdog and the calling thread. Both sides take the lock, so the watchdog either
     * interrupts before the call finished (and the caller then clears the flag) or does nothing at all.
     */
    private static final class Watch implements Runnable {
        private final Thread caller;
        private boolean finished;
        private boolean fired;

        Watch(Thread caller) {
            this.caller = caller;
        }

        @Override
        public synchronized void run() {
            if (!finished && !caller.isInterrupted()) {
                fired = true;
                caller.interrupt();
            }
        }

        /** Ends the watch on the calling thread; returns whether the watchdog fired, whose interrupt it clears. */
        synchronized boolean finish() {
            finished = true;
            if (fired) {
                Thread.interrupted();
            }
            return fired;
        }
    }
}
