package dev.pipewright.provider.anthropic.internal;

import dev.pipewright.model.Bodies;
import dev.pipewright.provider.UpstreamCall;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP exchange with the Messages API, run on a virtual thread of its own that hands what it reads to the caller
 * through a queue. The caller waits for each item as long as its timeouts allow, and may stop waiting at any time:
 * {@link #close()} then aborts the {@link UpstreamCall}, so the upstream request is really aborted (the server sees the
 * connection close, or over HTTP/2 its stream reset, even before the response headers) rather than left running.
 * After {@link #release()}, on success, the worker reads to the end of the body instead, which returns the
 * connection to the client's pool for reuse; its read timeout bounds how long that may take.
 */
public final class UpstreamExchange implements AutoCloseable {
    /** The most of a non-streamed or error body read; Anthropic's messages are far smaller. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /** What the worker hands over. */
    public sealed interface Item {}

    /** A whole answer: a non-streamed body, or the error body of a stream that did not open. */
    public record Reply(int status, Optional<String> retryAfter, byte[] body) implements Item {}

    /** One event of an open stream. */
    public record Event(ServerSentEvent event) implements Item {}

    /** The stream's body ended. */
    public record End() implements Item {}

    /** The connection failed, or the body could not be read. */
    public record Broken(Throwable failure) implements Item {}

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final UpstreamCall call;
    private volatile boolean released;

    private UpstreamExchange(UpstreamCall call) {
        this.call = call;
    }

    /**
     * Sends {@code body} with {@code call} on a new worker. For a stream, a 200 answer is handed over event by event
     * and then {@link End}; any other answer, or a non-streamed one, arrives as one {@link Reply}.
     */
    public static UpstreamExchange start(UpstreamCall call, byte[] body, boolean stream) {
        UpstreamExchange exchange = new UpstreamExchange(call);
        Thread.ofVirtual().name("anthropic-call").start(() -> exchange.exchange(body, stream));
        return exchange;
    }

    /** The next item, or empty when {@code wait} passed first. */
    public Optional<Item> next(Duration wait) throws InterruptedException {
        return Optional.ofNullable(items.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS));
    }

    /** The caller has all it needs: let the worker finish reading so that the connection can be reused. */
    public void release() {
        released = true;
    }

    /**
     * As {@link #release()}, then waits up to {@code wait} for the worker to reach the end of the body and close the
     * response, so that the connection is back in the pool before the caller makes its next call: a stream's last
     * event comes just before its body ends.
     */
    public void release(Duration wait) throws InterruptedException {
        release();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            // Events after the last one the answer needed are not part of it.
            Item item = items.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (item == null || item instanceof End || item instanceof Broken) {
                return;
            }
        }
    }

    /** Aborts the call (see {@link UpstreamCall#abort}) unless it was {@linkplain #release() released}. */
    @Override
    public void close() {
        if (!released) {
            call.abort();
        }
    }

    private void exchange(byte[] body, boolean stream) {
        Item last;
        try (HttpClientResponse response = call.submit(body)) {
            int status = response.status().code();
            if (!stream || status != 200) {
                Optional<String> retryAfter = response.headers().first(HeaderNames.RETRY_AFTER);
                last = new Reply(status, retryAfter, readBody(response));
            } else {
                ServerSentEvents events = new ServerSentEvents(response.inputStream());
                for (Optional<ServerSentEvent> event = events.next(); event.isPresent(); event = events.next()) {
                    items.add(new Event(event.get()));
                }
                last = new End();
            }
        } catch (IOException | RuntimeException e) {
            last = new Broken(e);
        }
        // Handed over only once the response is closed: its connection is then back in the pool before the caller
        // can make its next call, so calls made one after another share one connection.
        items.add(last);
    }

    private static byte[] readBody(HttpClientResponse response) throws IOException {
        byte[] bytes = Bodies.read(response.inputStream(), response.headers().contentLength(), MAX_BODY_BYTES);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new IOException("the answer exceeded " + MAX_BODY_BYTES + " bytes");
        }
        return bytes;
    }
}
