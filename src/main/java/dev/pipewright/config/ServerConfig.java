package dev.pipewright.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the HTTP server listens, how long a stop waits for requests and jobs in flight ({@code drain_timeout}), and
 * whether the configuration file is watched and reloaded when it changes ({@code watch_config}).
 */
public record ServerConfig(String host, int port, Duration drainTimeout, boolean watchConfig) {
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final ServerConfig DEFAULT = new ServerConfig("127.0.0.1", 8080);

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain_timeout must not be negative, but was " + drainTimeout);
        }
    }

    /** A server with the default drain timeout that does not watch its configuration file. */
    public ServerConfig(String host, int port) {
        this(host, port, DEFAULT_DRAIN_TIMEOUT, false);
    }
}
