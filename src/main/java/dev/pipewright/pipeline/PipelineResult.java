package dev.pipewright.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one run. {@code results} maps each output key of the pipeline to its step's output as JSON (a
 * string for chat, an array of numbers for an embedding, null for a skipped or degraded step); treat the nodes as
 * read-only. {@code steps} is in declaration order. {@code modelsUsed} lists the aliases that answered in this run,
 * once each, in declaration order of their steps; {@code usage} and {@code costUsd} sum the answering models'
 * usage and cost (steps read from the journal were paid for by an earlier attempt and add nothing).
 */
public record PipelineResult(
        String requestId,
        String pipeline,
        Map<String, JsonNode> results,
        Map<String, StepResult> steps,
        Duration latency,
        List<String> modelsUsed,
        Usage usage,
        BigDecimal costUsd,
        List<Degradation> degraded) {

    public PipelineResult {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(pipeline, "pipeline");
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        modelsUsed = List.copyOf(modelsUsed);
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(costUsd, "costUsd");
        degraded = List.copyOf(degraded);
    }

    public boolean isDegraded() {
        return !degraded.isEmpty();
    }
}
