package dev.pipewright.release.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of an evaluation dataset: the pipeline's {@code input}, which result key to score ({@code output}; the
 * pipeline's first when absent), and what each scorer compares the answer with: {@code expected} (exact match),
 * {@code contains} (every string, ignoring case), {@code schema} (the answer parses as JSON valid against it),
 * {@code label} (the answer is this label, ignoring case and a final '.'), {@code reference} (embedding similarity,
 * and the judge's reference).
 */
public record EvalItem(
        int line,
        JsonNode input,
        Optional<String> output,
        Optional<String> expected,
        List<String> contains,
        Optional<JsonNode> schema,
        Optional<String> label,
        Optional<String> reference) {
    public EvalItem {
        Objects.requireNonNull(input, "input");
        contains = List.copyOf(contains);
    }
}
