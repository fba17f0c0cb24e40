package dev.pipewright.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the HTTP server listens, how long a stop waits for requests and jobs in flight ({@code drain_timeout}),
 * whether the configuration file is watched and reloaded when it changes ({@code watch_config}), and how many requests
 * the gateway runs at once before it refuses more with 503 ({@code max_in_flight}; 0, the default, sizes it to the
 * heap, see {@link #inFlightLimit}).
 */
public record ServerConfig(String host, int port, Duration drainTimeout, boolean watchConfig, int maxInFlight) {
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final ServerConfig DEFAULT = new ServerConfig("127.0.0.1", 8080);

    /**
     * The heap an open request may hold when the limit follows the heap: an open stream holds about 80 KB (socket
     * buffers, the stacks of its threads, headers and the call's state; measured with heap histograms in
     * {@code bench/gateway}), rounded up for headroom.
     */
    static final long HEAP_PER_REQUEST_BYTES = 96 * 1024;

    /** The least a heap-sized limit admits, however small the heap. */
    static final int MIN_HEAP_SIZED_LIMIT = 64;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain_timeout must not be negative, but was " + drainTimeout);
        }
        if (maxInFlight < 0) {
            throw new IllegalArgumentException(
                    "max_in_flight must be 0 (sized to the heap) or more, but was " + maxInFlight);
        }
    }

    /**
     * A server with the default drain timeout that does not watch its configuration file and sizes its in-flight limit
     * to the heap.
     */
    public ServerConfig(String host, int port) {
        this(host, port, DEFAULT_DRAIN_TIMEOUT, false, 0);
    }

    /**
     * How many requests may run at once: {@code max_in_flight} when set; otherwise as many as three quarters of a heap
     * of {@code maxHeapBytes} hold at {@link #HEAP_PER_REQUEST_BYTES} each, so that a flood of slow streams is refused
     * with 503 before it exhausts the heap (a 512 MB heap admits 4,096).
     */
    public int inFlightLimit(long maxHeapBytes) {
        if (maxInFlight > 0) {
            return maxInFlight;
        }
        long sized = maxHeapBytes / 4 * 3 / HEAP_PER_REQUEST_BYTES;
        return (int) Math.max(MIN_HEAP_SIZED_LIMIT, Math.min(Integer.MAX_VALUE, sized));
    }
}
