package dev.pipewright.gateway.compat;

import dev.pipewright.model.CallerGone;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.ToolCallDelta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Relays a streamed model call to a {@link Writer} on the calling thread (the one that owns the HTTP response), which
 * also runs the call: each piece is written as it arrives, with no thread of the relay's own and no queue. (Whether
 * the upstream answer is read on this thread too is the adapter's choice: the OpenAI one over HTTP/1.1 does, so that
 * a slow client slows the upstream read instead of piling pieces up.) Nothing is written before the first piece of the
 * answer, so that a call which fails before it (after its transparent retries and fail-over) can still be answered
 * with a plain error status. When a write fails because the client went away, the listener throws {@link CallerGone},
 * which unwinds and aborts the upstream call without counting as the model's failure. When the thread is interrupted
 * (the drain timeout of a graceful stop is over), the model call ends and the writer is told the stream failed with
 * {@link Interrupted}, so that a stream already open ends with an explicit error event instead of being cut.
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

    /** The stream was cut short because the server stops; a retry is answered by another replica. */
    public static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("the server is shutting down and ended the stream before the model finished");
        }
    }

    private StreamRelay() {}

    /**
     * Runs {@code call} (which must hand its pieces to the listener it is given) and streams it to {@code writer};
     * returns once the stream ended, failed, or the client went away.
     */
    public static void relay(Function<StreamListener, ModelResult> call, Writer writer) {
        Listener listener = new Listener(writer);
        ModelResult result;
        try {
            result = call.apply(listener);
        } catch (CallerGone gone) {
            return;
        } catch (RuntimeException failure) {
            if (Thread.interrupted()) {
                // Consumed here (the stream it asked to end has ended): left pending, it would close the connection
                // under the last frame instead of letting it reach the client.
                tell(writer, new Interrupted(), listener.started);
            } else {
                tell(writer, failure, listener.started);
            }
            return;
        }
        try {
            if (!listener.started) {
                writer.start(result.answeredBy(), result.providerModel());
            }
            writer.finish(result);
        } catch (IOException | UncheckedIOException e) {
            // The client went away after the whole answer came: nobody is left to tell.
        }
    }

    private static void tell(Writer writer, RuntimeException failure, boolean started) {
        try {
            writer.fail(failure, started);
        } catch (IOException | UncheckedIOException e) {
            // The client went away meanwhile: nobody is left to tell.
        }
    }

    /** Writes each piece, tagged with the attempt it came from, on the thread that streams. */
    private static final class Listener implements StreamListener {
        private final Writer writer;
        private String alias = "";
        private String providerModel = "";
        private boolean started;

        Listener(Writer writer) {
            this.writer = writer;
        }

        @Override
        public void onAttempt(String alias, String providerModel) {
            this.alias = alias;
            this.providerModel = providerModel;
        }

        @Override
        public void onText(String delta) {
            try {
                startOnce();
                writer.text(delta);
            } catch (IOException | UncheckedIOException e) {
                throw new CallerGone(e);
            }
        }

        @Override
        public void onToolCall(ToolCallDelta delta) {
            try {
                startOnce();
                writer.toolCall(delta);
            } catch (IOException | UncheckedIOException e) {
                throw new CallerGone(e);
            }
        }

        private void startOnce() throws IOException {
            if (!started) {
                started = true;
                writer.start(alias, providerModel);
            }
        }
    }
}
