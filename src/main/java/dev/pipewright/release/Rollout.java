package dev.pipewright.release;

import java.time.Instant;
import java.util.Objects;

/**
 * The shared state of one candidate version of a deployment, one row of {@code release_rollouts}. {@code weight} is
 * the candidate's share of traffic in percent for a canary ({@code step} indexes its schedule); {@code revision} grows
 * with every change, so that two replicas deciding at once cannot both win.
 */
record Rollout(
        String deployment,
        String candidate,
        String version,
        RolloutState state,
        int step,
        double weight,
        Instant stepStartedAt,
        Instant startedAt,
        Instant updatedAt,
        long revision) {
    Rollout {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(state, "state");
    }

    Key key() {
        return new Key(deployment, candidate, version);
    }

    Rollout moved(RolloutState state, int step, double weight, Instant now, boolean newStep) {
        return new Rollout(
                deployment,
                candidate,
                version,
                state,
                step,
                weight,
                newStep ? now : stepStartedAt,
                startedAt,
                now,
                revision + 1);
    }

    /** A candidate version, the key of its rollout. */
    record Key(String deployment, String candidate, String version) {}
}
