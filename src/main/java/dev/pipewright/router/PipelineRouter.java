package dev.pipewright.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.RoutesConfig;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.pipeline.StepJournal;
import dev.pipewright.pipeline.StepOutput;
import dev.pipewright.pipeline.StepResult;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /v1/route}: runs the configured router pipeline on the input, reads the label from the text of its
 * route step, and runs the pipeline the label maps to on the same input. A label matches a key of {@code routes.map}
 * exactly, else ignoring case and surrounding white space and a trailing full stop (models like to add one); any
 * other label, or none (the step was skipped or degraded), goes to {@code routes.default}. Thread safe.
 */
public final class PipelineRouter {
    private final Supplier<PipewrightConfig> config;
    private final PipelineExecutor executor;

    public PipelineRouter(Supplier<PipewrightConfig> config, PipelineExecutor executor) {
        this.config = Objects.requireNonNull(config);
        this.executor = Objects.requireNonNull(executor);
    }

    /**
     * The outcome of a routed run: the label the router produced, if any, the chosen pipeline's run, and the tokens
     * of both runs together ({@code usage}).
     */
    public record Routed(Optional<String> label, PipelineConfig routedTo, PipelineResult result, Usage usage) {}

    /** Whether {@code routes} is configured, so that {@link #route} can be called. */
    public boolean isConfigured() {
        return config.get().routes().isPresent();
    }

    /**
     * Classifies {@code input} with the router pipeline, then runs the chosen pipeline. Both runs share the
     * context's tenant, allocation tags and deadline; the router's calls use the idempotency keys of {@code requestId + ":route"}.
     *
     * @throws IllegalStateException when no {@code routes} are configured
     * @throws dev.pipewright.pipeline.PipelineInputException when the input lacks what either pipeline needs
     * @throws dev.pipewright.pipeline.PipelineFailedException when either pipeline fails
     */
    public Routed route(JsonNode input, RunContext context) {
        PipewrightConfig current = config.get();
        RoutesConfig routes = current.routes().orElseThrow(() -> new IllegalStateException("no routes are configured"));
        // The router run keeps no journal: its step names may be the same as the chosen pipeline's.
        RunContext routerContext = new RunContext(
                        context.requestId() + ":route", context.tenant(), context.deadline(), StepJournal.none())
                .withTags(context.tags());
        PipelineResult classification = executor.run(current.pipelines().get(routes.pipeline()), input, routerContext);
        Optional<String> label = labelOf(classification, routes.step());
        String target = label.flatMap(text -> mapped(routes.map(), text)).orElse(routes.defaultPipeline());
        PipelineConfig chosen = current.pipelines().get(target);
        PipelineResult result = executor.run(chosen, input, context);
        return new Routed(label, chosen, result, classification.usage().plus(result.usage()));
    }

    private static Optional<String> labelOf(PipelineResult classification, String step) {
        return Optional.ofNullable(classification.steps().get(step))
                .flatMap(StepResult::output)
                .flatMap(
                        output -> output instanceof StepOutput.Text text ? Optional.of(text.text()) : Optional.empty());
    }

    static Optional<String> mapped(Map<String, String> map, String label) {
        if (map.containsKey(label)) {
            return Optional.of(map.get(label));
        }
        String normalised = normalise(label);
        return map.entrySet().stream()
                .filter(entry -> normalise(entry.getKey()).equals(normalised))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static String normalise(String label) {
        String stripped = label.strip().toLowerCase(Locale.ROOT);
        return stripped.endsWith(".")
                ? stripped.substring(0, stripped.length() - 1).strip()
                : stripped;
    }
}
