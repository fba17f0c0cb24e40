package dev.pipewright.testing;

import dev.pipewright.model.Clock;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import okio.BufferedSink;

/**
 * A local upstream that speaks HTTP/2: with prior knowledge over plain TCP (h2c), or over TLS offering h2 and
 * HTTP/1.1 by ALPN (or HTTP/1.1 alone, to prove the fall-back), with a certificate of its own that {@link #tls()}
 * trusts. Records each request with the HTTP version and connection it came on, and can play a stream that never
 * ends, noting how the client ended it (on HTTP/2 a reset stream, {@code StreamResetException}), if need be only once
 * the test lets it answer, as an upstream still working on a request would. Counts the RST_STREAM frames it reads,
 * from the HTTP/2 frame log of the server's reader (one upstream at a time may be open in a JVM for that count).
 */
public final class H2Upstream implements AutoCloseable {
    private static final Logger FRAME_LOG = Logger.getLogger("okhttp3.internal.http2.Http2");

    private final MockWebServer server = new MockWebServer();
    private final Optional<HeldCertificate> certificate;
    private final HoldingDispatcher dispatcher = new HoldingDispatcher();
    private final ResetCounter resets = new ResetCounter();

    private H2Upstream(List<Protocol> protocols, boolean secure) throws IOException {
        if (secure) {
            HeldCertificate held = new HeldCertificate.Builder()
                    .addSubjectAlternativeName("localhost")
                    .addSubjectAlternativeName("127.0.0.1")
                    .build();
            certificate = Optional.of(held);
            server.useHttps(new HandshakeCertificates.Builder()
                    .heldCertificate(held)
                    .build()
                    .sslSocketFactory());
        } else {
            certificate = Optional.empty();
        }
        server.setProtocols(protocols);
        server.setDispatcher(dispatcher);
        FRAME_LOG.setLevel(Level.FINE);
        FRAME_LOG.addHandler(resets);
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    /** HTTP/2 with prior knowledge over plain TCP. */
    public static H2Upstream h2c() throws IOException {
        return new H2Upstream(List.of(Protocol.H2_PRIOR_KNOWLEDGE), false);
    }

    /** TLS offering h2 and HTTP/1.1 by ALPN. */
    public static H2Upstream tlsOfferingH2() throws IOException {
        return new H2Upstream(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1), true);
    }

    /** TLS offering HTTP/1.1 alone. */
    public static H2Upstream tlsHttp1Only() throws IOException {
        return new H2Upstream(List.of(Protocol.HTTP_1_1), true);
    }

    /** Plain TCP, HTTP/1.1. */
    public static H2Upstream plainHttp1() throws IOException {
        return new H2Upstream(List.of(Protocol.HTTP_1_1), false);
    }

    /** The base URL with {@code path}, e.g. {@code /v1}. */
    public URI baseUrl(String path) {
        String scheme = certificate.isPresent() ? "https" : "http";
        return URI.create(scheme + "://localhost:" + server.getPort() + path);
    }

    /** Client TLS that trusts this server's certificate (and nothing else). */
    public Optional<Tls> tls() {
        return certificate.map(
                held -> Tls.builder().trust(List.of(held.certificate())).build());
    }

    public void answer(String contentType, String body) {
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", contentType)
                .body(body)
                .build());
    }

    /**
     * Answers with an event stream that sends {@code opening}, then repeats {@code frame} every few milliseconds until
     * the client goes away; {@link #endedBy()} then completes with what the server saw.
     */
    public EndlessStream answerEndlessly(String opening, String frame) {
        EndlessStream stream = new EndlessStream(opening, frame);
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(stream)
                .build());
        return stream;
    }

    /**
     * As {@link #answerEndlessly}, but the answer, headers included, is held back until {@link LateAnswer#release};
     * until then the request waits as on an upstream still working on it.
     */
    public LateAnswer answerEndlesslyOnRelease(String opening, String frame) {
        EndlessStream stream = new EndlessStream(opening, frame);
        MockResponse response = new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(stream)
                .build();
        CountDownLatch gate = new CountDownLatch(1);
        dispatcher.hold(response, gate);
        server.enqueue(response);
        return new LateAnswer(gate, stream);
    }

    /** The RST_STREAM frames this server has read so far. */
    public int resetsReceived() {
        return resets.count.get();
    }

    public RecordedRequest takeRequest() throws InterruptedException {
        RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new IllegalStateException("no request arrived within 10 s");
        }
        return request;
    }

    @Override
    public void close() {
        dispatcher.releaseAll();
        FRAME_LOG.removeHandler(resets);
        server.close();
    }

    /** An answer held back until released. */
    public record LateAnswer(CountDownLatch gate, EndlessStream stream) {
        /** Lets the server answer (headers, then the endless stream). */
        public void release() {
            gate.countDown();
        }

        /** How the client ended the stream, as the server saw it once it answered. */
        public CompletableFuture<IOException> endedBy() {
            return stream.endedBy();
        }
    }

    /** Answers in order, waiting before a held answer until its gate opens. */
    private static final class HoldingDispatcher extends QueueDispatcher {
        private final Map<MockResponse, CountDownLatch> gates = new ConcurrentHashMap<>();

        void hold(MockResponse response, CountDownLatch gate) {
            gates.put(response, gate);
        }

        void releaseAll() {
            gates.values().forEach(CountDownLatch::countDown);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            MockResponse response = super.dispatch(request);
            CountDownLatch gate = gates.get(response);
            if (gate != null && !gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a held answer was never released");
            }
            return response;
        }
    }

    /** Counts inbound RST_STREAM frames in okhttp's frame log ({@code << 0x00000003     4 RST_STREAM}). */
    private static final class ResetCounter extends Handler {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.startsWith("<<") && message.contains("RST_STREAM")) {
                count.incrementAndGet();
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** A response body that never ends on its own. */
    public static final class EndlessStream implements MockResponseBody {
        private final byte[] opening;
        private final byte[] frame;
        private final CompletableFuture<IOException> ended = new CompletableFuture<>();

        EndlessStream(String opening, String frame) {
            this.opening = opening.getBytes(StandardCharsets.UTF_8);
            this.frame = frame.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                sink.write(opening).flush();
                for (int i = 0; i < 20_000; i++) {
                    sink.write(frame).flush();
                    Clock.system().sleep(Duration.ofMillis(5));
                }
                ended.completeExceptionally(new IllegalStateException("the client never went away"));
            } catch (IOException e) {
                ended.complete(e);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended.completeExceptionally(e);
            }
        }

        /** How the client ended the stream, as the server saw it. */
        public CompletableFuture<IOException> endedBy() {
            return ended;
        }
    }
}
