package dev.pipewright.gateway.compat;

import dev.pipewright.model.ModelResult;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.ToolCallDelta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Runs a streamed model call on its own virtual thread and hands its events, in order, to a {@link Writer} on the
 * calling thread (the one that owns the HTTP response). Nothing is written before the first piece of the answer, so
 * that a call which fails before it (after its transparent retries and fail-over) can still be answered with a
 * plain error status. When a write fails because the client went away, the model call's thread is interrupted, which
 * cancels the upstream call; the client is then noticed gone at the latest with the next piece the model sends. When
 * the calling thread is interrupted (the drain timeout of a graceful stop is over), the model call is cancelled too
 * and the writer is told the stream failed with {@link Interrupted}, so that a stream already open ends with an
 * explicit error event instead of being cut.
 */
public final class StreamRelay {
    /** Where the events of one stream go; every method runs on the thread that called {@link #relay}. */
    public interface Writer {
        /** The first piece is about to be written: commit the response as a stream from this model. */
        void start(String alias, String providerModel) throws IOException;

        void text(String delta) throws IOException;

        /** A piece of a tool call the model is making. */
        void toolCall(ToolCallDelta delta) throws IOException;

        /** The model ended its answer properly. */
        void finish(ModelResult result) throws IOException;

        /**
         * The call failed: with {@code started}, after pieces were written (end the stream with an error event);
         * otherwise before anything was written (answer with an error status).
         */
        void fail(RuntimeException failure, boolean started) throws IOException;
    }

    private sealed interface Event {}

    private record Text(String delta, String alias, String providerModel) implements Event {}

    private record ToolCall(ToolCallDelta delta, String alias, String providerModel) implements Event {}

    private record Finished(ModelResult result) implements Event {}

    private record Failed(RuntimeException failure) implements Event {}

    /** The stream was cut short because the server stops; a retry is answered by another replica. */
    public static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("the server is shutting down and ended the stream before the model finished");
        }
    }

    private StreamRelay() {}

    /**
     * Streams {@code call} (which must hand its pieces to the listener it is given) to {@code writer}; returns once
     * the stream ended, failed, or the client went away.
     */
    public static void relay(Function<StreamListener, ModelResult> call, Writer writer) {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Thread worker = Thread.ofVirtual().name("model-stream").start(() -> {
            try {
                events.add(new Finished(call.apply(new Listener(events))));
            } catch (RuntimeException e) {
                events.add(new Failed(e));
            }
        });
        boolean[] started = {false};
        boolean ended = false;
        try {
            ended = drain(events, writer, started);
        } catch (IOException | UncheckedIOException e) {
            // The client went away; the worker is interrupted below.
        } catch (InterruptedException e) {
            // The model call is cancelled below, as for every way out but the stream's own end.
            failInterrupted(writer, started[0]);
        } finally {
            if (!ended) {
                worker.interrupt();
            }
        }
    }

    /**
     * Tells the writer the stream was cut by a stop. The interrupt is consumed here (the stream it asked to end has
     * ended): left pending, it would close the connection under the last frame instead of letting it reach the client.
     */
    private static void failInterrupted(Writer writer, boolean started) {
        Thread.interrupted();
        try {
            writer.fail(new Interrupted(), started);
        } catch (IOException | UncheckedIOException e) {
            // The client went away meanwhile: nobody is left to tell.
        }
    }

    private static boolean drain(BlockingQueue<Event> events, Writer writer, boolean[] started)
            throws IOException, InterruptedException {
        while (true) {
            switch (events.take()) {
                case Text text -> {
                    if (!started[0]) {
                        writer.start(text.alias(), text.providerModel());
                        started[0] = true;
                    }
                    writer.text(text.delta());
                }
                case ToolCall call -> {
                    if (!started[0]) {
                        writer.start(call.alias(), call.providerModel());
                        started[0] = true;
                    }
                    writer.toolCall(call.delta());
                }
                case Finished finished -> {
                    if (!started[0]) {
                        writer.start(
                                finished.result().answeredBy(),
                                finished.result().providerModel());
                    }
                    writer.finish(finished.result());
                    return true;
                }
                case Failed failed -> {
                    writer.fail(failed.failure(), started[0]);
                    return true;
                }
            }
        }
    }

    /** Tags each piece with the attempt it came from; runs on the model call's thread. */
    private static final class Listener implements StreamListener {
        private final BlockingQueue<Event> events;
        private volatile String alias = "";
        private volatile String providerModel = "";

        Listener(BlockingQueue<Event> events) {
            this.events = events;
        }

        @Override
        public void onAttempt(String alias, String providerModel) {
            this.alias = alias;
            this.providerModel = providerModel;
        }

        @Override
        public void onText(String delta) {
            events.add(new Text(delta, alias, providerModel));
        }

        @Override
        public void onToolCall(ToolCallDelta delta) {
            events.add(new ToolCall(delta, alias, providerModel));
        }
    }
}
