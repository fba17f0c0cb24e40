package dev.pipewright.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code deployments: PIPELINE: {sticky, candidates: {NAME: {pipeline, weight | canary}}, shadow, eval,
 * record}}. Each candidate's {@code pipeline} is a full definition read as under {@code pipelines}, so it is pinned and
 * checked the same way.
 */
final class DeploymentsReader {
    static final String STABLE = "stable";

    private final Map<String, PipelineConfig> pipelines;
    private final PipelinesReader definitions;

    DeploymentsReader(Map<String, PipelineConfig> pipelines, PipelinesReader definitions) {
        this.pipelines = pipelines;
        this.definitions = definitions;
    }

    Map<String, DeploymentConfig> read(ConfigNode section) {
        Map<String, DeploymentConfig> deployments = new LinkedHashMap<>();
        section.entries("pipeline names to {sticky, candidates, shadow, eval, record}", NameRule.PLAIN)
                .forEach((name, node) -> {
                    if (!pipelines.containsKey(name)) {
                        node.problem("unknown pipeline '" + name + "'; a deployment releases a pipeline of"
                                + " the pipelines section, its stable version");
                    }
                    node.required()
                            .block("sticky", "candidates", "shadow", "eval", "record")
                            .flatMap(block -> deployment(name, block))
                            .ifPresent(deployment -> deployments.put(name, deployment));
                });
        return deployments;
    }

    private Optional<DeploymentConfig> deployment(String name, ConfigNode block) {
        ConfigNode stickyNode = block.get("sticky");
        Optional<StickyKey> sticky = stickyNode.isPresent()
                ? stickyNode.text().flatMap(text -> stickyNode.build(() -> StickyKey.parse(text)))
                : Optional.of(StickyKey.TENANT);
        ConfigNode candidatesNode = block.get("candidates").required();
        Map<String, CandidateConfig> candidates = new LinkedHashMap<>();
        candidatesNode
                .entries("candidate names to {pipeline, weight | canary}", NameRule.PLAIN)
                .forEach((candidate, node) -> {
                    if (candidate.equals(STABLE)) {
                        node.problem("'stable' names the version under pipelines; give the candidate another name");
                        return;
                    }
                    candidate(name, candidate, node).ifPresent(read -> candidates.put(candidate, read));
                });
        if (candidatesNode.isMapping() && candidatesNode.keys().isEmpty()) {
            candidatesNode.problem("a deployment needs at least one candidate");
        }
        checkShares(candidatesNode, candidates);
        Optional<ShadowConfig> shadow = shadow(block.get("shadow"), candidatesNode.keys());
        EvalThresholds eval = eval(block.get("eval"));
        Optional<RecordingConfig> recording = recording(block.get("record"));
        if (sticky.isEmpty() || !pipelines.containsKey(name)) {
            return Optional.empty();
        }
        return block.build(() -> new DeploymentConfig(name, sticky.get(), candidates, shadow, eval, recording));
    }

    private Optional<CandidateConfig> candidate(String deployment, String candidate, ConfigNode node) {
        return node.required().block("pipeline", "weight", "canary").flatMap(block -> {
            Optional<PipelineConfig> pipeline = definitions.definition(deployment, block.get("pipeline"));
            double weight = block.get("weight").number().orElse(0.0);
            Optional<CanaryConfig> canary = canary(block.get("canary"));
            if (block.get("canary").isPresent() && canary.isEmpty()) {
                return Optional.empty();
            }
            return pipeline.flatMap(
                    definition -> block.build(() -> new CandidateConfig(candidate, definition, weight, canary)));
        });
    }

    private static void checkShares(ConfigNode at, Map<String, CandidateConfig> candidates) {
        double fixed = candidates.values().stream()
                .mapToDouble(CandidateConfig::weight)
                .sum();
        long canaries = candidates.values().stream()
                .filter(candidate -> candidate.canary().isPresent())
                .count();
        if (fixed > 100) {
            at.problem("the candidates' weights add up to " + fixed + "%, more than 100%");
        }
        if (canaries > 1) {
            at.problem("only one candidate at a time may run a canary, but " + canaries + " have one");
        }
        if (canaries == 1 && fixed > 0) {
            at.problem("a canary grows to 100% of the traffic; it cannot run beside candidates with a fixed weight");
        }
    }

    private static Optional<CanaryConfig> canary(ConfigNode node) {
        return node.block("steps", "step_duration", "min_samples", "confidence", "margins")
                .flatMap(block -> {
                    List<Double> steps = new ArrayList<>();
                    ConfigNode stepsNode = block.get("steps");
                    stepsNode.elements().forEach(item -> item.number().ifPresent(steps::add));
                    Optional<CanaryMargins> margins = margins(block.get("margins"));
                    if (margins.isEmpty()) {
                        return Optional.empty();
                    }
                    return block.build(() -> new CanaryConfig(
                            stepsNode.isPresent() ? steps : CanaryConfig.DEFAULT_STEPS,
                            block.get("step_duration").duration().orElse(CanaryConfig.DEFAULT_STEP_DURATION),
                            block.get("min_samples").positiveInteger().orElse(CanaryConfig.DEFAULT_MIN_SAMPLES),
                            block.get("confidence").number().orElse(CanaryConfig.DEFAULT_CONFIDENCE),
                            margins.get()));
                });
    }

    private static Optional<CanaryMargins> margins(ConfigNode node) {
        if (!node.isPresent()) {
            return Optional.of(CanaryMargins.DEFAULT);
        }
        return node.block("error_rate", "p95_latency", "cost_per_request", "quality")
                .flatMap(block -> block.build(() -> new CanaryMargins(
                        block.get("error_rate").number().orElse(CanaryMargins.DEFAULT.errorRate()),
                        block.get("p95_latency").number().orElse(CanaryMargins.DEFAULT.p95Latency()),
                        block.get("cost_per_request").number().orElse(CanaryMargins.DEFAULT.costPerRequest()),
                        block.get("quality").number().stream()
                                .mapToDouble(Double::doubleValue)
                                .findFirst())));
    }

    private static Optional<ShadowConfig> shadow(ConfigNode node, Set<String> candidates) {
        return node.block("candidate", "share", "max_per_second", "max_in_flight")
                .flatMap(block -> {
                    ConfigNode candidateNode = block.get("candidate").required();
                    Optional<String> candidate = candidateNode.name().filter(name -> {
                        if (!candidates.contains(name)) {
                            candidateNode.problem(
                                    "unknown candidate '" + name + "'; known: " + String.join(", ", candidates));
                        }
                        return candidates.contains(name);
                    });
                    Optional<Double> share = block.get("share").required().number();
                    if (candidate.isEmpty() || share.isEmpty()) {
                        return Optional.empty();
                    }
                    return block.build(() -> new ShadowConfig(
                            candidate.get(),
                            share.get(),
                            block.get("max_per_second").positiveInteger().orElse(ShadowConfig.DEFAULT_MAX_PER_SECOND),
                            block.get("max_in_flight").positiveInteger().orElse(ShadowConfig.DEFAULT_MAX_IN_FLIGHT)));
                });
    }

    private static EvalThresholds eval(ConfigNode node) {
        Map<String, Double> minimums = new LinkedHashMap<>();
        node.entries("scorer names to minimum scores").forEach((scorer, value) -> {
            if (!EvalThresholds.SCORERS.contains(scorer)) {
                value.problem("'" + scorer + "' is not a scorer; use " + String.join(", ", EvalThresholds.SCORERS));
                return;
            }
            value.number().ifPresent(minimum -> {
                if (minimum < 0 || minimum > 1) {
                    value.problem("must be between 0 and 1, but was " + minimum);
                } else {
                    minimums.put(scorer, minimum);
                }
            });
        });
        return new EvalThresholds(minimums);
    }

    private static Optional<RecordingConfig> recording(ConfigNode node) {
        return node.block("share", "retention")
                .flatMap(block -> block.build(() -> new RecordingConfig(
                        block.get("share").number().orElse(1.0),
                        block.get("retention").duration().orElse(RecordingConfig.DEFAULT_RETENTION))));
    }
}
