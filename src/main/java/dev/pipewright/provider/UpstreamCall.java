package dev.pipewright.provider;

import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.http2.Http2ClientStream;
import io.helidon.webclient.spi.WebClientService;
import java.io.InterruptedIOException;
import java.lang.reflect.Field;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to an upstream, sent by a worker thread of its own and abortable from any other thread at any time:
 * before it goes out, while it waits for the response headers, or while its body streams in. An abort reaches the
 * server however far the request got:
 *
 * <ul>
 *   <li>out over HTTP/2: the aborting thread resets the call's stream (RST_STREAM CANCEL), then interrupts the worker
 *       so that it stops waiting; the connection stays open for the calls beside it;
 *   <li>out over HTTP/1.1: the worker is interrupted, and a virtual thread interrupted on a socket closes it;
 *   <li>not out yet: the worker is interrupted, so nothing reaches the server; once this upstream has been seen to speak
 *       HTTP/2, the worker is left to send its request headers and resets the stream itself as soon as they are out,
 *       because an interrupt that lands while it writes to the shared connection would close it for every call.
 * </ul>
 *
 * <p>Why the stream is taken from Helidon's call chain: Helidon 4.5 hands out the stream only with the response headers,
 * and when a worker is interrupted while it waits for them, Helidon's own reset is skipped without a word (the
 * connection's write lock is taken interruptibly), so the server would go on with a request nobody waits for. The
 * stream is read once the request is out, on the worker, from the chain's field; should a Helidon upgrade remove that
 * field, aborts fall back to interrupting the worker (the cancellation tests show it).
 *
 * <p>Thread safety: {@link #submit} runs on one worker; {@link #abort} may be called from any thread, any number of
 * times, concurrently with it.
 */
public final class UpstreamCall {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);
    private static final ThreadLocal<UpstreamCall> SENDING = new ThreadLocal<>();
    private static final Optional<Class<?>> HTTP2_CHAIN = http2ChainClass();
    private static final Optional<Field> STREAM_OF_CHAIN = HTTP2_CHAIN.flatMap(UpstreamCall::streamField);

    private final HttpClientRequest request;
    private final UpstreamClient client;
    private Thread worker;
    private Progress progress = new Progress.Unsent();
    private boolean aborted;

    /** How far the request got, which decides how an abort reaches the server. */
    private sealed interface Progress {
        record Unsent() implements Progress {}

        /** Out on a connection of its own (HTTP/1.1), or on an HTTP/2 stream that could not be reached. */
        record OutOnSocket() implements Progress {}

        record OutOnStream(Http2ClientStream stream) implements Progress {}
    }

    UpstreamCall(HttpClientRequest request, UpstreamClient client) {
        this.request = request;
        this.client = client;
    }

    /**
     * Sends {@code body} from the calling thread, which becomes the call's worker, and returns the response once its
     * headers arrived.
     *
     * @throws InterruptedIOException when the call was aborted before it was sent
     */
    public HttpClientResponse submit(byte[] body) throws InterruptedIOException {
        synchronized (this) {
            if (aborted) {
                throw new InterruptedIOException("the call was aborted before it was sent");
            }
            worker = Thread.currentThread();
        }
        SENDING.set(this);
        try {
            return request.submit(body);
        } finally {
            SENDING.remove();
        }
    }

    /** Aborts the call so that the server sees it go away (see the class comment); idempotent. */
    public void abort() {
        Progress seen;
        Thread thread;
        synchronized (this) {
            if (aborted) {
                return;
            }
            aborted = true;
            seen = progress;
            thread = worker;
        }
        switch (seen) {
            case Progress.OutOnStream out -> {
                reset(out.stream());
                interrupt(thread);
            }
            case Progress.OutOnSocket out -> interrupt(thread);
            case Progress.Unsent unsent -> {
                if (!client.speaksHttp2()) {
                    interrupt(thread);
                }
            }
        }
    }

    /**
     * The {@link WebClientService} that {@link UpstreamClient} installs: notes, on the worker, when and how a call's
     * request went out. Requests not sent through an {@link UpstreamCall} pass untouched.
     */
    static WebClientServiceResponse observe(WebClientService.Chain chain, WebClientServiceRequest request) {
        UpstreamCall call = SENDING.get();
        if (call != null) {
            request.whenSent().thenRun(() -> call.sent(chain));
        }
        return chain.proceed(request);
    }

    /** Runs on the worker right after the request headers went out. */
    private void sent(WebClientService.Chain chain) {
        boolean http2 = HTTP2_CHAIN.map(type -> type.isInstance(chain)).orElse(false);
        client.spoke(http2);
        Progress out = http2
                ? streamOf(chain).<Progress>map(Progress.OutOnStream::new).orElseGet(Progress.OutOnSocket::new)
                : new Progress.OutOnSocket();
        boolean abortedBefore;
        synchronized (this) {
            progress = out;
            abortedBefore = aborted;
        }
        if (abortedBefore) {
            switch (out) {
                case Progress.OutOnStream stream -> reset(stream.stream());
                case Progress.OutOnSocket socket -> Thread.currentThread().interrupt();
                case Progress.Unsent unsent -> throw new IllegalStateException("a request that went out is not unsent");
            }
        }
    }

    /**
     * Sends RST_STREAM CANCEL and releases the stream, which also wakes a worker waiting for its headers. The calling
     * thread's interrupt flag is cleared for the while and restored after: the write lock is taken interruptibly, so an
     * interrupted thread would skip the frame.
     */
    private static void reset(Http2ClientStream stream) {
        boolean interrupted = Thread.interrupted();
        try {
            stream.cancel();
        } catch (RuntimeException e) {
            // The connection is gone, and the stream with it: nothing is left running upstream.
        } finally {
            stream.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void interrupt(Thread thread) {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private static Optional<Http2ClientStream> streamOf(WebClientService.Chain chain) {
        return STREAM_OF_CHAIN.flatMap(field -> {
            try {
                return Optional.ofNullable((Http2ClientStream) field.get(chain));
            } catch (IllegalAccessException | ClassCastException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<Class<?>> http2ChainClass() {
        try {
            return Optional.of(Class.forName("io.helidon.webclient.http2.Http2CallChainBase"));
        } catch (ClassNotFoundException e) {
            LOG.warn("Helidon's HTTP/2 call chain was not found: aborts interrupt the call", e);
            return Optional.empty();
        }
    }

    private static Optional<Field> streamField(Class<?> chain) {
        try {
            Field field = chain.getDeclaredField("stream");
            field.setAccessible(true);
            return Optional.of(field);
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.warn(
                    "Helidon's HTTP/2 call chain has no reachable stream: an abort before the response headers"
                            + " interrupts the call, which leaves its stream open on the server",
                    e);
            return Optional.empty();
        }
    }
}
