package dev.pipewright.testing;

import dev.pipewright.model.Clock;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import okio.BufferedSink;

/**
 * A local upstream that speaks HTTP/2: with prior knowledge over plain TCP (h2c), or over TLS offering h2 and
 * HTTP/1.1 by ALPN (or HTTP/1.1 alone, to prove the fall-back), with a certificate of its own that {@link #tls()}
 * trusts. Records each request with the HTTP version and connection it came on, and can play a stream that never
 * ends, noting how the client ended it (on HTTP/2 a reset stream, {@code StreamResetException}).
 */
public final class H2Upstream implements AutoCloseable {
    private final MockWebServer server = new MockWebServer();
    private final Optional<HeldCertificate> certificate;

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

    public RecordedRequest takeRequest() throws InterruptedException {
        RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new IllegalStateException("no request arrived within 10 s");
        }
        return request;
    }

    @Override
    public void close() {
        server.close();
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
