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
 * {@link ProviderProtocol} asks for. Over HTTP/2 concurrent calls share one connection as streams; closing a response
 * before its end resets only its stream (RST_STREAM), which is how an abort reaches the server without disturbing the
 * calls beside it. Over HTTP/1.1 each call holds a pooled keep-alive connection, and an abort closes it. Thread safe.
 */
public final class UpstreamClient {
    private static final String H2 = "h2";
    private static final String HTTP_1_1 = "http/1.1";

    private final WebClient client;
    private final Optional<String> protocolId;

    private UpstreamClient(WebClient client, Optional<String> protocolId) {
        this.client = client;
        this.protocolId = protocolId;
    }

    /** A client for {@code base} speaking {@code protocol}; {@code tls} replaces the JVM's trust when present. */
    public static UpstreamClient build(
            ProviderProtocol protocol, URI base, Optional<Tls> tls, Duration connectTimeout) {
        WebClientConfig.Builder builder = WebClient.builder()
                .connectTimeout(connectTimeout)
                .followRedirects(false)
                .keepAlive(true);
        tls.ifPresent(builder::tls);
        switch (protocol) {
            case AUTO ->
                builder.protocolPreference(
                        "https".equalsIgnoreCase(base.getScheme()) ? List.of(H2, HTTP_1_1) : List.of(HTTP_1_1));
            case HTTP1 -> builder.protocolPreference(List.of(HTTP_1_1));
            case H2C ->
                builder.protocolPreference(List.of(H2))
                        .addProtocolConfig(Http2ClientProtocolConfig.builder()
                                .priorKnowledge(true)
                                .build());
        }
        // Without TLS there is no ALPN to choose by, so h2c is asked for by name on every request.
        return new UpstreamClient(
                builder.build(), protocol == ProviderProtocol.H2C ? Optional.of(H2) : Optional.empty());
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
}
