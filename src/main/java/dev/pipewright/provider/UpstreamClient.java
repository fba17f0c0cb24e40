package dev.pipewright.provider;

import dev.pipewright.config.ProviderProtocol;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import io.helidon.webclient.http2.Http2ClientProtocolConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The WebClient one HTTP provider's calls share (each HTTP adapter builds its own), speaking the HTTP version
 * {@link ProviderProtocol} asks for. Over HTTP/2 concurrent calls share one connection as streams, and an aborted call
 * resets only its own stream (RST_STREAM), even before its response headers arrive, which is how an abort reaches the
 * server without disturbing the calls beside it. Over HTTP/1.1 each call holds a pooled keep-alive connection, and an
 * abort closes it. Calls that must be abortable go through {@link #call}. Thread safe.
 */
public final class UpstreamClient {
    private static final String H2 = "h2";
    private static final String HTTP_1_1 = "http/1.1";

    private final WebClient client;
    private final Optional<String> protocolId;
    private final boolean onlyHttp1;
    private volatile boolean speaksHttp2;

    private UpstreamClient(WebClientConfig.Builder builder, Optional<String> protocolId, boolean onlyHttp1) {
        this.client = builder.addService(UpstreamCall::observe).build();
        this.protocolId = protocolId;
        this.onlyHttp1 = onlyHttp1;
        this.speaksHttp2 = protocolId.isPresent();
    }

    /** A client for {@code base} speaking {@code protocol}; {@code tls} replaces the JVM's trust when present. */
    public static UpstreamClient build(
            ProviderProtocol protocol, URI base, Optional<Tls> tls, Duration connectTimeout) {
        WebClientConfig.Builder builder = WebClient.builder()
                // Over HTTP/2 a request is a HEADERS frame and a DATA frame written one after the other; with Nagle's
                // algorithm on, the second waits for the server's delayed ACK, some 40 ms a call.
                .socketOptions(options -> options.tcpNoDelay(true))
                .connectTimeout(connectTimeout)
                .followRedirects(false)
                .keepAlive(true);
        tls.ifPresent(builder::tls);
        boolean overTls = "https".equalsIgnoreCase(base.getScheme());
        switch (protocol) {
            case AUTO -> builder.protocolPreference(overTls ? List.of(H2, HTTP_1_1) : List.of(HTTP_1_1));
            case HTTP1 -> builder.protocolPreference(List.of(HTTP_1_1));
            case H2C ->
                builder.protocolPreference(List.of(H2))
                        .addProtocolConfig(Http2ClientProtocolConfig.builder()
                                .priorKnowledge(true)
                                .build());
        }
        // Without TLS there is no ALPN to choose by, so h2c is asked for by name on every request.
        return new UpstreamClient(
                builder,
                protocol == ProviderProtocol.H2C ? Optional.of(H2) : Optional.empty(),
                protocol == ProviderProtocol.HTTP1 || (protocol == ProviderProtocol.AUTO && !overTls));
    }

    /** Closes the pooled connections; no request may be started afterwards. */
    public void close() {
        client.closeResource();
    }

    public HttpClientRequest post(String uri) {
        HttpClientRequest request = client.post(uri);
        protocolId.ifPresent(request::protocolId);
        return request;
    }

    /** {@code request}, made with {@link #post} and ready to send, as a call that can be aborted from any thread. */
    public UpstreamCall call(HttpClientRequest request) {
        return new UpstreamCall(request, this);
    }

    /** Whether every call goes out on an HTTP/1.1 connection of its own (no HTTP/2 is offered or asked for). */
    public boolean speaksOnlyHttp1() {
        return onlyHttp1;
    }

    /** Whether the last request sent went out over HTTP/2 (h2c: always), which tells how to abort one not yet out. */
    boolean speaksHttp2() {
        return speaksHttp2;
    }

    void spoke(boolean http2) {
        speaksHttp2 = http2;
    }
}
