package dev.pipewright.config;

import java.time.Duration;
import java.util.Objects;

/** Keeps {@code share} (0 to 1) of a deployed pipeline's live requests and answers for {@code retention}, for replay. */
public record RecordingConfig(double share, Duration retention) {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public RecordingConfig {
        Objects.requireNonNull(retention, "retention");
        if (share <= 0 || share > 1) {
            throw new IllegalArgumentException("share must be in (0, 1], but was " + share);
        }
        if (!retention.isPositive()) {
            throw new IllegalArgumentException("retention must be longer than 0, but was " + retention);
        }
    }
}
