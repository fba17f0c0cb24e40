package dev.pipewright.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One step of a pipeline. A chat step has a {@code prompt} (and optionally a {@code system} text and an
 * {@code image}); an embedding step has an {@code input}. Texts are templates over {@code input.*} and
 * {@code steps.NAME.*}. A step with {@code when} runs only when that condition holds; an {@code optional} step's
 * failure degrades the run instead of failing it.
 */
public record StepConfig(
        String name,
        String model,
        List<String> needs,
        Optional<String> system,
        Optional<String> prompt,
        Optional<String> input,
        Optional<String> image,
        Optional<String> when,
        boolean optional,
        OptionalInt maxTokens,
        OptionalDouble temperature) {

    public StepConfig {
        needs = List.copyOf(needs);
    }
}
