package dev.pipewright.release;

import dev.pipewright.config.CanaryConfig;
import dev.pipewright.config.CandidateConfig;
import dev.pipewright.config.DeploymentConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.router.Variant;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves canaries along their schedules. On every {@link #analyze} it compares each running canary with the stable
 * version over the runs since its step began (see {@link CanaryAnalysis}): worse → rolled back at once; no worse, with
 * enough runs, at the end of the step → the next step, and the last step (100%) is the promotion. Too few runs keep the
 * step going. Every replica may run it: a change is written only if the rollout's revision is still the one analysed,
 * so one decision wins and the others find it on their next read.
 */
final class CanaryController {
    private static final Logger log = LoggerFactory.getLogger(CanaryController.class);

    private final ReleaseStore store;
    private final RolloutBook book;
    private final Supplier<PipewrightConfig> config;
    private final Clock clock;

    CanaryController(ReleaseStore store, RolloutBook book, Supplier<PipewrightConfig> config, Clock clock) {
        this.store = store;
        this.book = book;
        this.config = config;
        this.clock = clock;
    }

    /** Analyses every running canary once; true when any rollout changed. */
    boolean analyze() {
        PipewrightConfig current = config.get();
        boolean changed = false;
        for (DeploymentConfig deployment : current.deployments().values()) {
            for (CandidateConfig candidate : deployment.candidates().values()) {
                if (candidate.canary().isPresent()) {
                    changed |= analyze(
                            current, deployment, candidate, candidate.canary().get());
                }
            }
        }
        return changed;
    }

    private boolean analyze(
            PipewrightConfig current, DeploymentConfig deployment, CandidateConfig candidate, CanaryConfig canary) {
        String version = RolloutBook.versionOf(current, candidate.pipeline());
        Optional<Rollout> stored = book.stored(new Rollout.Key(deployment.name(), candidate.name(), version));
        if (stored.isEmpty() || stored.get().state() != RolloutState.CANARY) {
            return false;
        }
        Rollout rollout = stored.get();
        Instant now = clock.instant();
        String stableVersion =
                RolloutBook.versionOf(current, current.pipelines().get(deployment.name()));
        List<Observation> stable =
                store.observations(deployment.name(), Variant.STABLE, stableVersion, rollout.stepStartedAt());
        List<Observation> runs =
                store.observations(deployment.name(), candidate.name(), version, rollout.stepStartedAt());
        boolean endOfStep = !now.isBefore(rollout.stepStartedAt().plus(canary.stepDuration()));
        CanaryAnalysis.Verdict verdict = CanaryAnalysis.compare(stable, runs, canary, endOfStep);
        verdict.numbers().put("step", rollout.step()).put("weight", rollout.weight());
        return switch (verdict.outcome()) {
            case WORSE ->
                decide(rollout.moved(RolloutState.ROLLED_BACK, rollout.step(), 0, now, false), "rollback", verdict);
            case NOT_WORSE -> endOfStep && advance(rollout, canary, now, verdict);
            case TOO_FEW_SAMPLES -> false;
        };
    }

    private boolean advance(Rollout rollout, CanaryConfig canary, Instant now, CanaryAnalysis.Verdict verdict) {
        int next = rollout.step() + 1;
        double weight = canary.steps().get(next);
        boolean last = next == canary.steps().size() - 1;
        return decide(
                rollout.moved(last ? RolloutState.PROMOTED : RolloutState.CANARY, next, weight, now, true),
                last ? "promote" : "advance",
                verdict);
    }

    private boolean decide(Rollout next, String action, CanaryAnalysis.Verdict verdict) {
        String reason = verdict.reason() + "; now at " + CanaryAnalysis.format(next.weight()) + "%";
        boolean won = store.transition(
                next,
                new Decision(
                        next.deployment(),
                        next.candidate(),
                        next.version(),
                        next.updatedAt(),
                        action,
                        "canary",
                        reason,
                        verdict.numbers().toString()));
        if (won) {
            log.info(
                    "deployment {}: {} of candidate {} ({}): {}",
                    next.deployment(),
                    action,
                    next.candidate(),
                    next.version(),
                    reason);
        }
        return won;
    }
}
