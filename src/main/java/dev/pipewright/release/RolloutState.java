package dev.pipewright.release;

import java.util.Locale;

/** Where one candidate version stands. */
enum RolloutState {
    /** A canary: its share grows step by step while the analysis finds it no worse. */
    CANARY,
    /** A canary held at its share: no analysis, no step, until resumed. */
    PAUSED,
    /** Takes no traffic any more, by the analysis or by hand. */
    ROLLED_BACK,
    /** Takes all the traffic. */
    PROMOTED,
    /** Takes the fixed share its configuration gives (an A/B test; none for a candidate without weight). */
    FIXED;

    String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RolloutState of(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
