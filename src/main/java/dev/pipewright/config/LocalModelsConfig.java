package dev.pipewright.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Settings of the in-process models of a {@code kind: local} provider. {@code labels} maps each class of the
 * zero-shot classifier to a sentence describing it (empty: the built-in labels); {@code classifierHead} is a trained
 * head file that replaces zero-shot classification; {@code ocrCommand} is the Tesseract program to run.
 */
public record LocalModelsConfig(
        Map<String, String> labels,
        Optional<Path> classifierHead,
        OptionalDouble temperature,
        int summarySentences,
        String ocrCommand,
        String ocrLanguage) {
    public static final LocalModelsConfig DEFAULT =
            new LocalModelsConfig(Map.of(), Optional.empty(), OptionalDouble.empty(), 3, "tesseract", "eng");

    public LocalModelsConfig {
        labels = Maps.ordered(labels);
        if (labels.size() == 1) {
            throw new IllegalArgumentException(
                    "labels must name at least 2 classes, but named only " + labels.keySet());
        }
        if (summarySentences < 1) {
            throw new IllegalArgumentException("sentences must be at least 1, but was " + summarySentences);
        }
        if (temperature.isPresent() && !(temperature.getAsDouble() > 0)) {
            throw new IllegalArgumentException("temperature must be positive, but was " + temperature.getAsDouble());
        }
    }
}
