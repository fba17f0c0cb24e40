package dev.pipewright.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/** Reads {@code pipelines: NAME: {deadline, steps, output}}, keeping steps and output keys in file order. */
final class PipelinesReader {
    private static final double MAX_TEMPERATURE = 2.0;
    private static final String[] STEP_KEYS = {
        "model", "needs", "system", "prompt", "input", "image", "when", "optional", "max_tokens", "temperature"
    };

    private final StepChecks stepChecks;

    /**
     * @param models the models that were read without problems
     * @param declaredModels every model alias the file declares, including those with problems of their own
     */
    PipelinesReader(Map<String, ModelConfig> models, Set<String> declaredModels) {
        this.stepChecks = new StepChecks(models, declaredModels);
    }

    Map<String, PipelineConfig> read(ConfigNode section) {
        Map<String, PipelineConfig> pipelines = new LinkedHashMap<>();
        section.entries("pipeline names to {deadline, steps, output}", NameRule.PLAIN)
                .forEach((name, node) -> {
                    node.required()
                            .block("deadline", "steps", "output")
                            .map(block -> pipeline(name, block))
                            .ifPresent(pipeline -> pipelines.put(name, pipeline));
                });
        return pipelines;
    }

    /** One pipeline definition at {@code node} named {@code name}, as under {@code pipelines}: a candidate's. */
    Optional<PipelineConfig> definition(String name, ConfigNode node) {
        return node.required().block("deadline", "steps", "output").map(block -> pipeline(name, block));
    }

    private PipelineConfig pipeline(String name, ConfigNode block) {
        ConfigNode deadlineNode = block.get("deadline");
        Duration deadline = deadlineNode.duration().orElse(PipelineConfig.DEFAULT_DEADLINE);
        if (deadline.isZero()) {
            deadlineNode.problem("must be longer than 0");
        }
        ConfigNode stepsNode = block.get("steps").required();
        Map<String, ConfigNode> stepNodes = stepsNode.entries("step names to {model, prompt, ...}", NameRule.STEP);
        if (stepsNode.isMapping() && stepNodes.isEmpty()) {
            stepsNode.problem("a pipeline needs at least one step");
        }
        List<StepConfig> steps = stepNodes.entrySet().stream()
                .flatMap(entry -> step(entry.getKey(), entry.getValue()).stream())
                .toList();
        Map<String, String> output = output(block.get("output"), stepNodes.keySet());
        stepChecks.check(stepsNode, steps);
        return new PipelineConfig(name, deadline, steps, output);
    }

    private static Optional<StepConfig> step(String name, ConfigNode node) {
        return node.required().block(STEP_KEYS).flatMap(block -> {
            Optional<String> model = block.get("model").required().name();
            List<String> needs = block.get("needs").elements().stream()
                    .flatMap(item -> item.text().stream())
                    .toList();
            Optional<String> system = block.get("system").text();
            Optional<String> prompt = block.get("prompt").text();
            Optional<String> input = block.get("input").text();
            Optional<String> image = block.get("image").text();
            Optional<String> when = block.get("when").text();
            boolean optional = block.get("optional").bool().orElse(false);
            OptionalInt maxTokens = block.get("max_tokens").positiveInteger();
            OptionalDouble temperature = temperature(block.get("temperature"));
            return model.map(present -> new StepConfig(
                    name, present, needs, system, prompt, input, image, when, optional, maxTokens, temperature));
        });
    }

    private static OptionalDouble temperature(ConfigNode node) {
        return node.number().stream()
                .filter(value -> {
                    boolean inRange = value >= 0 && value <= MAX_TEMPERATURE;
                    if (!inRange) {
                        node.problem("must be between 0 and " + MAX_TEMPERATURE + ", but was " + value);
                    }
                    return inRange;
                })
                .mapToDouble(Double::doubleValue)
                .findFirst();
    }

    /** The result keys and the step each carries; without {@code output}, every step under its own name. */
    private static Map<String, String> output(ConfigNode node, Set<String> stepNames) {
        Map<String, String> output = new LinkedHashMap<>();
        if (!node.isPresent()) {
            stepNames.forEach(step -> output.put(step, step));
            return output;
        }
        Map<String, ConfigNode> entries = node.entries("result keys to step names");
        if (node.isMapping() && entries.isEmpty()) {
            node.problem("names no step; leave output out to return every step");
        }
        entries.forEach((key, value) -> value.required().name().ifPresent(step -> {
            if (stepNames.contains(step)) {
                output.put(key, step);
            } else {
                value.problem("unknown step '" + step + "'");
            }
        }));
        return output;
    }
}
