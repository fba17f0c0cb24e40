package dev.pipewright.jobs.webhook;

import dev.pipewright.config.AllowedTarget;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The guard against server-side request forgery for every URL a client hands Pipewright to call: only http(s), no
 * credentials in the URL, and a host whose every address is public unicast, unless {@code webhooks.allow} covers the
 * destination. Run when a job is submitted (to refuse early with a message) and again before each delivery, whose
 * connection then goes to the address checked here. Thread safe.
 */
public final class WebhookTargets {
    /** URLs longer than this are refused: no legitimate receiver needs more, and the URL is stored with the job. */
    public static final int MAX_URL_LENGTH = 2048;

    /** Names of cloud metadata services, refused whatever they resolve to. */
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog", "metadata");

    private final List<AllowedTarget> allow;
    private final HostResolver resolver;

    public WebhookTargets(List<AllowedTarget> allow, HostResolver resolver) {
        this.allow = List.copyOf(allow);
        this.resolver = resolver;
    }

    /** Checks {@code url} and resolves its host; a {@link RefusedTargetException} says what is wrong. */
    public CheckedTarget check(String url) {
        URI uri = parse(url);
        String host = hostOf(uri);
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        List<InetAddress> addresses = resolve(host);
        for (InetAddress address : addresses) {
            refusal(host, address, port).ifPresent(reason -> {
                throw new RefusedTargetException(reason);
            });
        }
        return new CheckedTarget(uri, host, port, addresses.getFirst());
    }

    private Optional<String> refusal(String host, InetAddress address, int port) {
        if (allow.stream().anyMatch(target -> target.covers(host, address, port))) {
            return Optional.empty();
        }
        Optional<String> reason = METADATA_HOSTS.contains(host)
                ? Optional.of("a cloud metadata service")
                : ForbiddenAddresses.reasonToRefuse(address);
        return reason.map(why -> "webhook_url host '" + host + "' resolves to " + address.getHostAddress() + ", " + why
                + "; only public addresses are called unless webhooks.allow in the configuration lists it");
    }

    private static URI parse(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            throw new RefusedTargetException(
                    "webhook_url is " + url.length() + " characters long; the limit is " + MAX_URL_LENGTH);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException malformed) {
            throw new RefusedTargetException("webhook_url is not a valid URL: " + malformed.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedTargetException(
                    "webhook_url must be an absolute http or https URL, but its scheme was '" + scheme + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedTargetException("webhook_url must not carry a user or password");
        }
        if (uri.getHost() == null) {
            throw new RefusedTargetException("webhook_url has no host");
        }
        return uri.normalize();
    }

    /** The host in the form DNS and the allow list see it: lower case, ASCII, without IPv6 brackets or a final dot. */
    private static String hostOf(URI uri) {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        try {
            return IDN.toASCII(host).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException invalid) {
            throw new RefusedTargetException("webhook_url host is not a valid host name");
        }
    }

    /** IP literals, in any spelling the JVM reads ({@code 2130706433} is 127.0.0.1), are taken as they are. */
    private List<InetAddress> resolve(String host) {
        try {
            boolean literal = host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
            List<InetAddress> addresses = literal ? List.of(InetAddress.getAllByName(host)) : resolver.resolve(host);
            if (addresses.isEmpty()) {
                throw new UnknownHostException(host);
            }
            return addresses;
        } catch (UnknownHostException unknown) {
            throw new RefusedTargetException("webhook_url host '" + host + "' does not resolve to any address");
        }
    }
}
