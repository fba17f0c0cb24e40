package dev.pipewright.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the pipeline {@code name} is released: its stable version is the definition under {@code pipelines}, and each
 * candidate is a full pinned definition of its own that takes a share of the traffic, fixed (A/B) or grown by a
 * canary schedule. {@code sticky} decides who sees which variant; {@code shadow} mirrors a share of the traffic to
 * one candidate off the request path; {@code eval} holds the minimum scores a candidate's evaluation must reach
 * before it may be promoted; {@code recording} keeps requests for replay.
 */
public record DeploymentConfig(
        String name,
        StickyKey sticky,
        Map<String, CandidateConfig> candidates,
        Optional<ShadowConfig> shadow,
        EvalThresholds eval,
        Optional<RecordingConfig> recording) {
    public DeploymentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sticky, "sticky");
        candidates = Maps.ordered(candidates);
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(eval, "eval");
        Objects.requireNonNull(recording, "recording");
    }

    public Optional<CandidateConfig> candidate(String name) {
        return Optional.ofNullable(candidates.get(name));
    }
}
