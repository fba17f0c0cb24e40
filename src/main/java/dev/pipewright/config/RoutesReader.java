package dev.pipewright.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code routes: {pipeline, step, map: {label: pipeline}, default}}: every name must be a declared pipeline,
 * and the step must be a chat step of the router pipeline, since its text is the label.
 */
final class RoutesReader {
    private final Map<String, PipelineConfig> pipelines;
    private final Map<String, ModelConfig> models;

    RoutesReader(Map<String, PipelineConfig> pipelines, Map<String, ModelConfig> models) {
        this.pipelines = pipelines;
        this.models = models;
    }

    Optional<RoutesConfig> read(ConfigNode node) {
        return node.block("pipeline", "step", "map", "default").flatMap(block -> {
            Optional<String> router = pipeline(block.get("pipeline").required());
            Optional<String> step = block.get("step").required().name();
            router.ifPresent(name -> step.ifPresent(stepName -> checkStep(name, stepName, block.get("step"))));
            Map<String, String> map = new LinkedHashMap<>();
            ConfigNode mapNode = block.get("map").required();
            mapNode.entries("labels to pipeline names")
                    .forEach((label, target) -> pipeline(target).ifPresent(name -> map.put(label, name)));
            if (mapNode.isMapping() && mapNode.keys().isEmpty()) {
                mapNode.problem("needs at least one label");
            }
            Optional<String> fallback = pipeline(block.get("default").required());
            if (router.isEmpty() || step.isEmpty() || fallback.isEmpty()) {
                return Optional.empty();
            }
            return block.build(() -> new RoutesConfig(router.get(), step.get(), map, fallback.get()));
        });
    }

    private Optional<String> pipeline(ConfigNode node) {
        return node.name().filter(name -> {
            if (!pipelines.containsKey(name)) {
                node.problem("unknown pipeline '" + name + "'");
            }
            return pipelines.containsKey(name);
        });
    }

    private void checkStep(String pipeline, String stepName, ConfigNode at) {
        Optional<StepConfig> step = pipelines.get(pipeline).steps().stream()
                .filter(candidate -> candidate.name().equals(stepName))
                .findFirst();
        if (step.isEmpty()) {
            at.problem("pipeline '" + pipeline + "' has no step '" + stepName + "'");
            return;
        }
        ModelConfig model = models.get(step.get().model());
        if (model != null && model.type() != ModelType.CHAT) {
            at.problem("step '" + stepName + "' runs an embedding model; the label must be a chat step's text");
        }
    }
}
