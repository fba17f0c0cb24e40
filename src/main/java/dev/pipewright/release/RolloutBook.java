package dev.pipewright.release;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pipewright.config.CandidateConfig;
import dev.pipewright.config.DeploymentConfig;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineVersion;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rollouts every replica shares, as this replica last read them. {@link #refresh} creates the rows of candidate
 * versions the configuration names for the first time and reads them all again; until then the variant choice answers
 * from memory, so a request never waits on the database. Thread safe: a refresh swaps in a whole new snapshot.
 */
final class RolloutBook {
    private final ReleaseStore store;
    private final Supplier<PipewrightConfig> config;
    private final Clock clock;
    private volatile Map<Rollout.Key, Rollout> snapshot = Map.of();

    RolloutBook(ReleaseStore store, Supplier<PipewrightConfig> config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    void refresh() {
        PipewrightConfig current = config.get();
        Map<Rollout.Key, Rollout> read = byKey();
        boolean created = false;
        for (DeploymentConfig deployment : current.deployments().values()) {
            for (CandidateConfig candidate : deployment.candidates().values()) {
                String version = versionOf(current, candidate.pipeline());
                if (!read.containsKey(new Rollout.Key(deployment.name(), candidate.name(), version))) {
                    created |= create(deployment, candidate, version);
                }
            }
        }
        snapshot = created ? byKey() : read;
    }

    /** The candidate version's rollout as last read; before its first refresh, the one it will start with. */
    Rollout rollout(DeploymentConfig deployment, CandidateConfig candidate) {
        String version = versionOf(config.get(), candidate.pipeline());
        Rollout known = snapshot.get(new Rollout.Key(deployment.name(), candidate.name(), version));
        return known != null ? known : initial(deployment, candidate, version, clock.instant());
    }

    /** The share of traffic in percent the candidate takes now. */
    double weight(DeploymentConfig deployment, CandidateConfig candidate) {
        Rollout rollout = rollout(deployment, candidate);
        return switch (rollout.state()) {
            case CANARY, PAUSED -> rollout.weight();
            case ROLLED_BACK -> 0;
            case PROMOTED -> 100;
            case FIXED -> candidate.weight();
        };
    }

    Optional<Rollout> stored(Rollout.Key key) {
        return Optional.ofNullable(snapshot.get(key));
    }

    static String versionOf(PipewrightConfig config, PipelineConfig pipeline) {
        return PipelineVersion.of(pipeline, config::model);
    }

    private boolean create(DeploymentConfig deployment, CandidateConfig candidate, String version) {
        Instant now = clock.instant();
        Rollout initial = initial(deployment, candidate, version, now);
        String reason = candidate.canary().isPresent()
                ? "canary starts at " + CanaryAnalysis.format(initial.weight()) + "%"
                : "fixed share of " + CanaryAnalysis.format(candidate.weight()) + "%";
        return store.create(
                initial,
                new Decision(
                        deployment.name(),
                        candidate.name(),
                        version,
                        now,
                        "deploy",
                        "config",
                        reason,
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("weight", initial.weight())
                                .toString()));
    }

    private static Rollout initial(
            DeploymentConfig deployment, CandidateConfig candidate, String version, Instant now) {
        return candidate
                .canary()
                .map(canary -> {
                    boolean complete = canary.steps().size() == 1;
                    return new Rollout(
                            deployment.name(),
                            candidate.name(),
                            version,
                            complete ? RolloutState.PROMOTED : RolloutState.CANARY,
                            0,
                            canary.steps().getFirst(),
                            now,
                            now,
                            now,
                            1);
                })
                .orElseGet(() -> new Rollout(
                        deployment.name(),
                        candidate.name(),
                        version,
                        RolloutState.FIXED,
                        -1,
                        candidate.weight(),
                        now,
                        now,
                        now,
                        1));
    }

    private Map<Rollout.Key, Rollout> byKey() {
        Map<Rollout.Key, Rollout> rollouts = new HashMap<>();
        store.rollouts().forEach(rollout -> rollouts.put(rollout.key(), rollout));
        return Map.copyOf(rollouts);
    }
}
