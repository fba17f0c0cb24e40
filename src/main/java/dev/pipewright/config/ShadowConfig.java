package dev.pipewright.config;

import java.util.Objects;

/**
 * Mirrors {@code share} (0 to 1) of the live runs of a deployed pipeline to {@code candidate}, at most {@code
 * maxPerSecond} a second and {@code maxInFlight} at once, off the request path.
 */
public record ShadowConfig(String candidate, double share, int maxPerSecond, int maxInFlight) {
    public static final int DEFAULT_MAX_PER_SECOND = 10;
    public static final int DEFAULT_MAX_IN_FLIGHT = 16;

    public ShadowConfig {
        Objects.requireNonNull(candidate, "candidate");
        if (share <= 0 || share > 1) {
            throw new IllegalArgumentException("share must be in (0, 1], but was " + share);
        }
        if (maxPerSecond < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("max_per_second and max_in_flight must be at least 1");
        }
    }
}
