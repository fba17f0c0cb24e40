package dev.pipewright.jobs.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.util.Objects;

/**
 * A webhook URL that passed the guard, with the address it was checked against. A delivery connects to exactly
 * {@code address}, never to a fresh lookup of {@code host}, so the name cannot be re-pointed between check and call.
 */
public record CheckedTarget(URI url, String host, int port, InetAddress address) {
    public CheckedTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, but was " + port);
        }
    }
}
