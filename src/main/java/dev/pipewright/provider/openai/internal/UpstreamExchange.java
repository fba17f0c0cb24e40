package dev.pipewright.provider.openai.internal;

import dev.pipewright.model.Alarms;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.provider.UpstreamCall;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One upstream HTTP exchange whose caller alone decides when to stop waiting (the call's timeout, a slow first piece,
 * a stalled stream, its own interrupt) and then aborts the exchange's {@link UpstreamCall}, so the server sees the
 * request go away (its HTTP/2 stream reset, or its HTTP/1.1 connection closed) instead of a call left running, whether
 * or not the response headers had arrived. It runs one of two ways:
 *
 * <ul>
 *   <li>{@link #start started} on a virtual thread of its own, while the calling thread waits for what it sends: pieces
 *       of a stream, then the result or the failure ({@link #await}). This works whatever kind of thread the caller
 *       is, as a platform thread's blocked socket read would ignore its interrupt, and it keeps the caller's
 *       interrupts away from an HTTP/2 connection that other calls share;
 *   <li>{@link #runHere run on the calling thread}, when that is a virtual thread and the call goes out on an HTTP/1.1
 *       connection of its own: an alarm aborts the call when a bound passes, which interrupts the caller and so closes
 *       the socket it reads. This saves a thread and two hand-offs per call.
 * </ul>
 *
 * <p>Thread safety: the worker posts events, one caller awaits them; {@link #abort} may come from any thread.
 */
public final class UpstreamExchange<T> {
    /** The alarms of the exchanges that run on their caller's thread: one daemon thread for the process. */
    private static final ScheduledExecutorService ALARMS = Alarms.newTimer("pipewright-upstream-alarms");

    private final BlockingQueue<Event<T>> events = new LinkedBlockingQueue<>();
    private final String description;
    private final OpenAiFailures failures;
    private final String model;
    private final UpstreamCall call;
    /** Set while the exchange runs on its caller's thread: where pieces go and the alarm that bounds them. */
    private Watch here;

    /**
     * The upstream work: sends the call, posts pieces through the exchange and returns the result. It closes the
     * response it opened before it returns, so that its connection is back in the pool before the caller makes its
     * next call, and calls made one after another share one connection.
     */
    @FunctionalInterface
    public interface Work<T> {
        T run(UpstreamExchange<T> exchange) throws IOException;
    }

    private sealed interface Event<T> {
        record Piece<T>(ChatDelta delta) implements Event<T> {}

        record Finished<T>(T result) implements Event<T> {}

        record Failed<T>(ModelException failure) implements Event<T> {}
    }

    private UpstreamExchange(String description, String model, OpenAiFailures failures, UpstreamCall call) {
        this.description = description;
        this.model = model;
        this.failures = failures;
        this.call = call;
    }

    /**
     * Starts {@code work}, which sends {@code call}, on a new virtual thread; {@code description} names the call in
     * timeout messages.
     */
    public static <T> UpstreamExchange<T> start(
            String description, String model, OpenAiFailures failures, UpstreamCall call, Work<T> work) {
        UpstreamExchange<T> exchange = new UpstreamExchange<>(description, model, failures, call);
        Thread.ofVirtual().name("upstream " + description).start(() -> exchange.perform(work));
        return exchange;
    }

    private void perform(Work<T> work) {
        Event<T> last;
        try {
            last = new Event.Finished<>(work.run(this));
        } catch (IOException | RuntimeException e) {
            last = new Event.Failed<>(failure(e));
        }
        events.add(last);
    }

    /** What a failure of the work means for the caller. */
    private ModelException failure(Exception e) {
        return switch (e) {
            case ModelException failed -> failed;
            case OpenAiWire.MalformedAnswer malformed ->
                new ModelException(failures.malformed(model, "response", malformed.getMessage()), malformed);
            default -> new ModelException(failures.fromConnection(model, e), e);
        };
    }

    /** Called by the work for each piece of a stream, in order; empty pieces show the stream is alive. */
    public void piece(ChatDelta delta) {
        if (here == null) {
            events.add(new Event.Piece<>(delta));
        } else {
            here.piece(delta);
        }
    }

    /**
     * Runs {@code work}, which sends {@code call}, on the calling thread, which must be a virtual thread, with the
     * bounds of {@link #await}: pieces go to {@code pieces} as they arrive, and when a bound passes an alarm aborts
     * the call, whose worker is this thread; its interrupt closes the socket the work reads. Only for a call that
     * goes out on an HTTP/1.1 connection of its own: an interrupt that lands while the thread writes to an HTTP/2
     * connection would close it for the calls beside it.
     */
    public static <T> T runHere(
            String description,
            String model,
            OpenAiFailures failures,
            UpstreamCall call,
            Work<T> work,
            Bounds bounds,
            Consumer<ChatDelta> pieces,
            Clock clock) {
        if (!Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("an exchange runs on its caller's thread only when that is virtual");
        }
        UpstreamExchange<T> exchange = new UpstreamExchange<>(description, model, failures, call);
        var watch = exchange.new Watch(bounds, pieces, clock);
        exchange.here = watch;
        watch.arm();
        try {
            T result = work.run(exchange);
            // An answer that arrived although the alarm fired meanwhile is still the answer.
            watch.finish();
            return result;
        } catch (Error e) {
            // The alarm must not outlive the call: it would interrupt whatever this thread does next.
            watch.finish();
            throw e;
        } catch (PiecesFailed e) {
            watch.finish();
            if (!e.callerWasInterrupted) {
                // The abort that ended the work interrupted this thread; the failure is the handler's, not a stop.
                Thread.interrupted();
            }
            throw e.rethrown();
        } catch (IOException | RuntimeException e) {
            if (watch.finish()) {
                throw new ModelException(watch.timedOut(), e);
            }
            if (Thread.currentThread().isInterrupted() || interruptIn(e)) {
                // Restored: the HTTP client may have caught the interrupt without keeping it (reading on a kept-alive
                // connection first waits for the thread that watched it in the pool, and that wait swallows it).
                Thread.currentThread().interrupt();
                exchange.abort();
                throw new ModelException(
                        new ModelError.Timeout(description + " was interrupted before it answered"), e);
            }
            throw exchange.failure(e);
        }
    }

    /** Whether {@code failure} came of an interrupt: the alarm's, when it rang, or else the caller's. */
    private static boolean interruptIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException || cause instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /** The bounds of one exchange: the whole call, the first non-empty piece, and any gap between events. */
    public record Bounds(Duration timeout, Duration firstPiece, Duration idle) {}

    /**
     * Waits for the result, handing each non-empty piece to {@code pieces} on the calling thread. Gives up with a
     * timeout when the whole call outlasts {@code timeout}, when no non-empty piece arrives within
     * {@code firstPiece}, or when no event arrives within {@code idle}; an interrupt of the caller ends the wait,
     * keeps the interrupt and reports a timeout. Every way out but the result aborts the exchange.
     */
    public T await(Bounds bounds, Consumer<ChatDelta> pieces, Clock clock) {
        Duration timeout = bounds.timeout();
        Duration firstPiece = bounds.firstPiece();
        Duration idle = bounds.idle();
        Deadline deadline = Deadline.after(timeout, clock);
        Deadline firstPieceBy = Deadline.after(firstPiece, clock);
        boolean pieceSeen = false;
        boolean finished = false;
        try {
            while (true) {
                Duration wait = deadline.cap(pieceSeen ? idle : firstPieceBy.cap(idle));
                Event<T> event = events.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new ModelException(timedOut(
                            deadline.expired(), timeout, firstPieceBy.expired() && !pieceSeen, firstPiece, idle));
                }
                switch (event) {
                    case Event.Piece<T> piece
                    when !piece.delta().isEmpty() -> {
                        pieceSeen = true;
                        pieces.accept(piece.delta());
                    }
                    case Event.Piece<T> keepAlive -> {}
                    case Event.Finished<T> done -> {
                        finished = true;
                        return done.result();
                    }
                    case Event.Failed<T> failed ->
                        throw new ModelException(failed.failure().error(), failed.failure());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException(new ModelError.Timeout(description + " was interrupted before it answered"), e);
        } finally {
            if (!finished) {
                abort();
            }
        }
    }

    private ModelError.Timeout timedOut(
            boolean callExpired, Duration timeout, boolean noFirstPiece, Duration firstPiece, Duration idle) {
        if (callExpired) {
            return new ModelError.Timeout(description + " did not answer within the call's timeout of " + timeout);
        }
        if (noFirstPiece) {
            return new ModelError.Timeout(
                    description + " sent no content within the first-token timeout of " + firstPiece);
        }
        return new ModelError.Timeout(description + " stalled: nothing arrived for the idle timeout of " + idle);
    }

    /** Ends the exchange: aborts its call (see {@link UpstreamCall#abort}). Idempotent. */
    public void abort() {
        call.abort();
    }

    /**
     * A failure of the caller's own piece handler, carried through the work untouched after the call was aborted (so
     * that closing the response does not wait for the rest of the stream).
     */
    private static final class PiecesFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Throwable failure;
        private final boolean callerWasInterrupted;

        PiecesFailed(Throwable failure, boolean callerWasInterrupted) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
            this.callerWasInterrupted = callerWasInterrupted;
        }

        /** The handler's own failure, to be thrown as it was (an unchecked exception or an error). */
        RuntimeException rethrown() {
            if (failure instanceof Error error) {
                throw error;
            }
            return (RuntimeException) failure;
        }
    }

    /**
     * The bounds of an exchange that runs on its caller's thread, kept by one alarm. A piece only notes the time:
     * the alarm, when it rings before the bound it was set for moved on, sets itself again for the new bound. The
     * alarm and the caller take the lock, so the alarm either aborts before the work ended (and the caller then
     * clears the interrupt the abort left) or does nothing at all; it does not ring on a caller that someone else
     * already interrupted.
     */
    private final class Watch implements Runnable {
        private final Bounds bounds;
        private final Consumer<ChatDelta> pieces;
        private final Clock clock;
        private final Thread caller = Thread.currentThread();
        private final long startNanos;
        private volatile long lastEventNanos;
        private volatile boolean pieceSeen;
        private ScheduledFuture<?> alarm;
        private boolean finished;
        private ModelError.Timeout rang;

        Watch(Bounds bounds, Consumer<ChatDelta> pieces, Clock clock) {
            this.bounds = bounds;
            this.pieces = pieces;
            this.clock = clock;
            this.startNanos = clock.nanoTime();
            this.lastEventNanos = startNanos;
        }

        void piece(ChatDelta delta) {
            lastEventNanos = clock.nanoTime();
            if (delta.isEmpty()) {
                return;
            }
            pieceSeen = true;
            try {
                pieces.accept(delta);
            } catch (RuntimeException | Error e) {
                boolean interrupted = caller.isInterrupted();
                abort();
                throw new PiecesFailed(e, interrupted);
            }
        }

        synchronized void arm() {
            alarm = ALARMS.schedule(this, Math.max(0, dueNanos() - clock.nanoTime()), TimeUnit.NANOSECONDS);
        }

        @Override
        public synchronized void run() {
            if (finished || caller.isInterrupted()) {
                return;
            }
            long now = clock.nanoTime();
            long due = dueNanos();
            if (now < due) {
                alarm = ALARMS.schedule(this, due - now, TimeUnit.NANOSECONDS);
                return;
            }
            rang = timedOut(now);
            abort();
        }

        /** Ends the watch on the calling thread; returns whether the alarm rang, whose interrupt it clears. */
        synchronized boolean finish() {
            finished = true;
            alarm.cancel(false);
            if (rang != null) {
                Thread.interrupted();
            }
            return rang != null;
        }

        ModelError.Timeout timedOut() {
            return rang;
        }

        private long dueNanos() {
            long callDue = startNanos + bounds.timeout().toNanos();
            long quietDue = lastEventNanos + bounds.idle().toNanos();
            if (!pieceSeen) {
                quietDue = Math.min(quietDue, startNanos + bounds.firstPiece().toNanos());
            }
            return Math.min(callDue, quietDue);
        }

        private ModelError.Timeout timedOut(long now) {
            return UpstreamExchange.this.timedOut(
                    now - startNanos >= bounds.timeout().toNanos(),
                    bounds.timeout(),
                    !pieceSeen && now - startNanos >= bounds.firstPiece().toNanos(),
                    bounds.firstPiece(),
                    bounds.idle());
        }
    }
}
