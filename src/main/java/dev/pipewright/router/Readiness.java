package dev.pipewright.router;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StepConfig;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code GET /health/ready} reports: every configured model with its circuit state and what calls have shown
 * of it, and whether the service is ready. It is ready when every model that is not optional is available (its
 * circuit is not open) or has an available fallback to serve in its place. A model is optional when the pipelines
 * use it only in optional steps; any other model (used by a step that must succeed, by proxy clients, as a
 * fallback) is required. Thread safe.
 */
public final class Readiness {
    /** The circuit state an unavailable model reports. */
    public static final String OPEN = "open";

    private final Supplier<PipewrightConfig> config;
    private final ModelHealth health;
    private final Function<String, String> circuitState;

    /**
     * @param circuitState the state of a model alias's circuit, written {@code closed}, {@code open} or {@code
     *     half_open}; a model is available unless it is {@code open}
     */
    public Readiness(Supplier<PipewrightConfig> config, ModelHealth health, Function<String, String> circuitState) {
        this.config = Objects.requireNonNull(config);
        this.health = Objects.requireNonNull(health);
        this.circuitState = Objects.requireNonNull(circuitState);
    }

    /** One model as readiness sees it; {@code servedBy} is the available fallback serving while it is down. */
    public record ModelStatus(
            String alias,
            String circuit,
            boolean available,
            boolean optional,
            Optional<Instant> lastSuccess,
            Optional<Instant> lastFailure,
            Optional<String> lastError,
            Optional<String> servedBy) {

        /** Whether this model keeps the service from being ready. */
        public boolean blocksReadiness() {
            return !available && !optional && servedBy.isEmpty();
        }
    }

    public record Report(List<ModelStatus> models) {
        public Report {
            models = List.copyOf(models);
        }

        public boolean ready() {
            return models.stream().noneMatch(ModelStatus::blocksReadiness);
        }

        /** The aliases that keep the service from being ready, in configuration order. */
        public List<String> blocking() {
            return models.stream()
                    .filter(ModelStatus::blocksReadiness)
                    .map(ModelStatus::alias)
                    .toList();
        }
    }

    public Report report() {
        PipewrightConfig current = config.get();
        Set<String> required = requiredBySteps(current);
        Set<String> usedBySteps = usedBySteps(current);
        List<ModelStatus> models = current.models().values().stream()
                .map(model -> status(model, !required.contains(model.alias()) && usedBySteps.contains(model.alias())))
                .toList();
        return new Report(models);
    }

    private ModelStatus status(ModelConfig model, boolean optional) {
        String circuit = circuitState.apply(model.alias());
        boolean available = !OPEN.equals(circuit);
        Optional<String> servedBy = available
                ? Optional.empty()
                : model.fallbacks().stream()
                        .filter(fallback -> !OPEN.equals(circuitState.apply(fallback)))
                        .findFirst();
        ModelHealth.Observation observed = health.observed(model.alias());
        return new ModelStatus(
                model.alias(),
                circuit,
                available,
                optional,
                observed.lastSuccess(),
                observed.lastFailure(),
                observed.lastError(),
                servedBy);
    }

    private static Set<String> requiredBySteps(PipewrightConfig config) {
        Set<String> required = new HashSet<>();
        for (PipelineConfig pipeline : config.pipelines().values()) {
            pipeline.steps().stream()
                    .filter(step -> !step.optional())
                    .map(StepConfig::model)
                    .forEach(required::add);
        }
        return required;
    }

    private static Set<String> usedBySteps(PipewrightConfig config) {
        Set<String> used = new HashSet<>();
        config.pipelines()
                .values()
                .forEach(pipeline ->
                        pipeline.steps().stream().map(StepConfig::model).forEach(used::add));
        return used;
    }
}
