package dev.pipewright.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A DAG of steps with a deadline for the whole run. {@code output} maps each key of the result to the step whose
 * output it carries; steps are listed in declaration order.
 */
public record PipelineConfig(String name, Duration deadline, List<StepConfig> steps, Map<String, String> output) {
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    public PipelineConfig {
        steps = List.copyOf(steps);
        output = Maps.ordered(output);
    }

    public StepConfig step(String name) {
        return steps.stream()
                .filter(step -> step.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("pipeline '" + this.name + "' has no step '" + name + "'"));
    }
}
