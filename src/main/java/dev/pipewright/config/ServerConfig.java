package dev.pipewright.config;

/** Where the HTTP server listens. */
public record ServerConfig(String host, int port) {
    public static final ServerConfig DEFAULT = new ServerConfig("127.0.0.1", 8080);

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
        }
    }
}
