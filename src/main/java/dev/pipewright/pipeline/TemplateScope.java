package dev.pipewright.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * What templates and conditions can see: the request's input and the outputs of the steps finished so far. The map
 * is read as it is, not copied, so that the executor can hand over its live view of finished steps.
 */
public record TemplateScope(JsonNode input, Map<String, StepOutput> steps) {
    public TemplateScope {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(steps, "steps");
    }
}
