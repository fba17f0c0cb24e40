package dev.pipewright.pipeline;

import dev.pipewright.config.CircuitPolicy;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.ModelType;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.Price;
import dev.pipewright.config.RetryPolicy;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.config.StepConfig;
import dev.pipewright.config.StreamTimeouts;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Config records for tests. A model alias {@code a} stands for the provider model {@code a-v1}. */
final class Fixtures {
    private Fixtures() {}

    static ModelConfig model(String alias, ModelType type, Optional<Price> price) {
        return new ModelConfig(
                alias,
                "fake",
                alias + "-v1",
                type,
                price,
                Duration.ofSeconds(10),
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO),
                CircuitPolicy.DEFAULT,
                List.of(),
                OptionalInt.empty(),
                SimulationConfig.DEFAULT,
                StreamTimeouts.DEFAULT);
    }

    static ModelConfig chatModel(String alias) {
        return model(alias, ModelType.CHAT, Optional.empty());
    }

    static StepConfig chat(String name, String model, String prompt) {
        return new StepConfig(
                name,
                model,
                List.of(),
                Optional.empty(),
                Optional.of(prompt),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                OptionalInt.empty(),
                OptionalDouble.empty());
    }

    static StepConfig embed(String name, String model, String input) {
        return new StepConfig(
                name,
                model,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(input),
                Optional.empty(),
                Optional.empty(),
                false,
                OptionalInt.empty(),
                OptionalDouble.empty());
    }

    static StepConfig needs(StepConfig s, String... needs) {
        return new StepConfig(
                s.name(),
                s.model(),
                Arrays.asList(needs),
                s.system(),
                s.prompt(),
                s.input(),
                s.image(),
                s.when(),
                s.optional(),
                s.maxTokens(),
                s.temperature());
    }

    static StepConfig when(StepConfig s, String when) {
        return new StepConfig(
                s.name(),
                s.model(),
                s.needs(),
                s.system(),
                s.prompt(),
                s.input(),
                s.image(),
                Optional.of(when),
                s.optional(),
                s.maxTokens(),
                s.temperature());
    }

    static StepConfig optional(StepConfig s) {
        return new StepConfig(
                s.name(),
                s.model(),
                s.needs(),
                s.system(),
                s.prompt(),
                s.input(),
                s.image(),
                s.when(),
                true,
                s.maxTokens(),
                s.temperature());
    }

    static StepConfig withSystemAndImage(StepConfig s, String system, String image) {
        return new StepConfig(
                s.name(),
                s.model(),
                s.needs(),
                Optional.of(system),
                s.prompt(),
                s.input(),
                Optional.of(image),
                s.when(),
                s.optional(),
                OptionalInt.of(256),
                OptionalDouble.of(0.2));
    }

    static PipelineConfig pipeline(List<StepConfig> steps, Map<String, String> output) {
        return new PipelineConfig("analyze", Duration.ofSeconds(15), steps, new LinkedHashMap<>(output));
    }

    /** An output mapping in the order given: key, step, key, step, ... */
    static Map<String, String> output(String... keysAndSteps) {
        Map<String, String> output = new LinkedHashMap<>();
        for (int i = 0; i < keysAndSteps.length; i += 2) {
            output.put(keysAndSteps[i], keysAndSteps[i + 1]);
        }
        return output;
    }

    static PipelineConfig pipeline(StepConfig... steps) {
        return pipeline(List.of(steps), Map.of());
    }
}
