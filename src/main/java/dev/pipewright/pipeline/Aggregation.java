package dev.pipewright.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Gathers the ended steps of a run into its result. */
final class Aggregation {
    private Aggregation() {}

    /**
     * {@code outcomes} and {@code degradations} are indexed by declaration order; a null outcome is a step that did
     * not end (the run failed first) and is left out of {@code steps}, its result key null.
     */
    static PipelineResult result(
            String requestId, PipelinePlan plan, StepResult[] outcomes, Degradation[] degradations, Duration latency) {
        Map<String, StepResult> steps = new LinkedHashMap<>();
        LinkedHashSet<String> modelsUsed = new LinkedHashSet<>();
        Usage usage = Usage.NONE;
        BigDecimal cost = BigDecimal.ZERO;
        for (StepResult step : outcomes) {
            if (step != null) {
                steps.put(step.name(), step);
                step.model().ifPresent(modelsUsed::add);
                usage = usage.plus(step.usage());
                cost = cost.add(step.costUsd());
            }
        }
        Map<String, JsonNode> results = new LinkedHashMap<>();
        plan.pipeline().output().forEach((key, stepName) -> {
            StepResult step = steps.get(stepName);
            JsonNode value = step == null
                    ? NullNode.getInstance()
                    : step.output().map(StepOutput::toJson).orElse(NullNode.getInstance());
            results.put(key, value);
        });
        List<Degradation> degraded = new ArrayList<>();
        for (Degradation degradation : degradations) {
            if (degradation != null) {
                degraded.add(degradation);
            }
        }
        return new PipelineResult(
                requestId,
                plan.pipeline().name(),
                results,
                steps,
                latency,
                List.copyOf(modelsUsed),
                usage,
                cost,
                degraded);
    }
}
