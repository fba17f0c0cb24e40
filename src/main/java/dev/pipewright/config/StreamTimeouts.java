package dev.pipewright.config;

import java.time.Duration;

/**
 * How long a streamed answer may keep the caller waiting: for its first piece, and between two pieces. A stream that
 * breaks either bound fails as a timeout (before its first piece it is retried or failed over like any call).
 */
public record StreamTimeouts(Duration firstToken, Duration idle) {
    public static final StreamTimeouts DEFAULT = new StreamTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));

    public StreamTimeouts {
        if (!firstToken.isPositive()) {
            throw new IllegalArgumentException("first_token_timeout must be positive, but was " + firstToken);
        }
        if (!idle.isPositive()) {
            throw new IllegalArgumentException("idle_timeout must be positive, but was " + idle);
        }
    }
}
