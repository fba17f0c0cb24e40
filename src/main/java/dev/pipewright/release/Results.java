package dev.pipewright.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.pipeline.PipelineResult;

/** The results object of a run, as the public result JSON carries it. */
final class Results {
    private Results() {}

    static JsonNode of(PipelineResult result) {
        ObjectNode results = JsonNodeFactory.instance.objectNode();
        result.results().forEach(results::set);
        return results;
    }
}
