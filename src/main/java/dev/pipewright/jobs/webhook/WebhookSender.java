package dev.pipewright.jobs.webhook;

import dev.pipewright.telemetry.TraceParents;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.spi.DnsResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * Makes one signed webhook call with Helidon's WebClient: the URL is checked by {@link WebhookTargets} right before
 * the call and the connection goes to the address that was checked (a resolver pinned to it), so DNS that changes
 * between check and connect cannot redirect the call inside the network. Redirects are not followed: a 3xx is a
 * failed delivery. TLS still verifies the certificate against the URL's host name. Thread safe.
 */
public final class WebhookSender {
    public static final String DELIVERY_HEADER = "Pipewright-Delivery";
    public static final String EVENT_HEADER = "Pipewright-Event";
    private static final int REASON_SNIPPET = 200;

    private final WebhookTargets targets;
    private final WebhookSettings settings;

    public WebhookSender(WebhookTargets targets, WebhookSettings settings) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Sends {@code body} to {@code url}, signed with {@code secret} at {@code now}. Never throws for the receiver's sake. */
    public DeliveryResult send(String url, String deliveryId, String event, byte[] body, byte[] secret, Instant now) {
        CheckedTarget target;
        try {
            target = targets.check(url);
        } catch (RefusedTargetException refused) {
            return new DeliveryResult.Failed(0, refused.getMessage(), false);
        }
        WebClient client = WebClient.builder()
                .dnsResolver(new PinnedResolver(target))
                .followRedirects(false)
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .shareConnectionCache(false)
                .keepAlive(false)
                .proxy(Proxy.noProxy())
                .build();
        HttpClientResponse response;
        try {
            response = client.post()
                    .uri(target.url())
                    .header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json"))
                    .header(HeaderValues.create(HeaderNames.USER_AGENT, "Pipewright-Webhooks/1"))
                    .header(HeaderValues.create(WebhookSignature.HEADER, WebhookSignature.header(secret, now, body)))
                    .header(HeaderValues.create(DELIVERY_HEADER, deliveryId))
                    .header(HeaderValues.create(EVENT_HEADER, event))
                    .headers(headers -> TraceParents.current()
                            .ifPresent(value -> headers.set(HeaderNames.create(TraceParents.HEADER), value)))
                    .submit(body);
        } catch (RuntimeException failed) {
            return new DeliveryResult.Failed(0, "the call failed: " + describe(failed), true);
        }
        try {
            return resultOf(response);
        } finally {
            closeQuietly(response);
        }
    }

    /**
     * The status decides; the answer's body is read only to explain a failure, and a body that cannot be read (an
     * HTTP/1.0 answer cut short, say) does not turn a 2xx into a failure.
     */
    private DeliveryResult resultOf(HttpClientResponse response) {
        int status = response.status().code();
        if (status >= 200 && status < 300) {
            return new DeliveryResult.Delivered(status);
        }
        String redirect = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
        return new DeliveryResult.Failed(
                status, "the receiver answered " + status + redirect + snippet(readCapped(response)), true);
    }

    private static void closeQuietly(HttpClientResponse response) {
        try {
            response.close();
        } catch (RuntimeException unclean) {
            // The outcome is decided; the connection is dropped either way (no keep-alive).
        }
    }

    /** At most {@code maxResponseBytes} of the answer are read; the rest is dropped with the connection. */
    private String readCapped(HttpClientResponse response) {
        try (InputStream in = response.inputStream()) {
            byte[] bytes = in.readNBytes(settings.maxResponseBytes());
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unreadable) {
            return "";
        }
    }

    private static String snippet(String answer) {
        String trimmed = answer.strip().replaceAll("\\s+", " ");
        if (trimmed.isEmpty()) {
            return "";
        }
        return ": " + (trimmed.length() > REASON_SNIPPET ? trimmed.substring(0, REASON_SNIPPET) + "…" : trimmed);
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    /**
     * Answers the checked address for the checked host, carrying the host name so that TLS verifies the certificate
     * against it; any other name is refused, as a redirect would need one.
     */
    private record PinnedResolver(CheckedTarget target) implements DnsResolver {
        @Override
        public boolean useDefaultJavaResolver() {
            return false;
        }

        @Override
        public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
            if (!hostname.equalsIgnoreCase(target.host())
                    && !hostname.equalsIgnoreCase(target.url().getHost())) {
                throw new IllegalArgumentException("webhook call to '" + hostname + "' was not checked");
            }
            try {
                return InetAddress.getByAddress(hostname, target.address().getAddress());
            } catch (UnknownHostException invalidLength) {
                throw new IllegalStateException("a checked address has an invalid length", invalidLength);
            }
        }
    }
}
