package dev.pipewright.provider.openai.internal;

import dev.pipewright.model.Clock;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.provider.UpstreamCall;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One upstream HTTP exchange, run on a virtual thread of its own while the calling thread waits for what it sends:
 * pieces of a stream, then the result or the failure. The caller alone decides when to stop waiting (the call's
 * timeout, a slow first piece, a stalled stream, its own interrupt) and then aborts the exchange's {@link UpstreamCall},
 * so the server sees the request go away (its HTTP/2 stream reset, or its HTTP/1.1 connection closed) instead of a
 * call left running, whether or not the response headers had arrived. This works whatever kind of thread the caller
 * is, as a platform thread's blocked socket read would ignore its interrupt.
 *
 * <p>Thread safety: the worker posts events, one caller awaits them; {@link #abort} may come from any thread.
 */
public final class UpstreamExchange<T> {
    private final BlockingQueue<Event<T>> events = new LinkedBlockingQueue<>();
    private final String description;
    private final OpenAiFailures failures;
    private final String model;
    private final UpstreamCall call;

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
        } catch (ModelException e) {
            last = new Event.Failed<>(e);
        } catch (OpenAiWire.MalformedAnswer e) {
            last = new Event.Failed<>(new ModelException(failures.malformed(model, "response", e.getMessage()), e));
        } catch (IOException | RuntimeException e) {
            last = new Event.Failed<>(new ModelException(failures.fromConnection(model, e), e));
        }
        events.add(last);
    }

    /** Called by the work for each piece of a stream, in order; empty pieces show the stream is alive. */
    public void piece(ChatDelta delta) {
        events.add(new Event.Piece<>(delta));
    }

    /**
     * Waits for the result, handing each non-empty piece to {@code pieces} on the calling thread. Gives up with a
     * timeout when the whole call outlasts {@code timeout}, when no non-empty piece arrives within
     * {@code firstPiece}, or when no event arrives within {@code idle}; an interrupt of the caller ends the wait,
     * keeps the interrupt and reports a timeout. Every way out but the result aborts the exchange.
     */
    public T await(Duration timeout, Duration firstPiece, Duration idle, Consumer<ChatDelta> pieces, Clock clock) {
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
}
