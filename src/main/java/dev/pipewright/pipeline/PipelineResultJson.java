package dev.pipewright.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.Attempt;
import dev.pipewright.model.Json;
import dev.pipewright.model.Usage;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The public JSON contract of a run result: {@code {request_id, pipeline, version, results, latency_ms,
 * models_used, usage: {input_tokens, output_tokens, cached_input_tokens}, cost_usd, degraded: [{step, reason}],
 * steps: {NAME: {status, model, provider_model, latency_ms, attempts: [{model, number, waited_ms, latency_ms,
 * error}], usage, cost_usd, reason}}}}. Absent values are written as null, so every object has the same keys.
 */
public final class PipelineResultJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper PLAIN_DECIMALS =
            Json.mapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private PipelineResultJson() {}

    /**
     * The result as a JSON tree; {@code version} is the pipeline version that ran. Write it with {@link
     * JsonGenerator.Feature#WRITE_BIGDECIMAL_AS_PLAIN} so that tiny costs are not written as {@code 2E-8}.
     */
    public static ObjectNode toJson(PipelineResult result, String version) {
        ObjectNode json = NODES.objectNode();
        json.put("request_id", result.requestId());
        json.put("pipeline", result.pipeline());
        json.put("version", version);
        json.set("results", results(result));
        json.put("latency_ms", result.latency().toMillis());
        ArrayNode models = json.putArray("models_used");
        result.modelsUsed().forEach(models::add);
        json.set("usage", usage(result.usage()));
        json.put("cost_usd", decimal(result.costUsd()));
        ArrayNode degraded = json.putArray("degraded");
        result.degraded()
                .forEach(degradation ->
                        degraded.addObject().put("step", degradation.step()).put("reason", degradation.reason()));
        ObjectNode steps = json.putObject("steps");
        result.steps().forEach((name, step) -> steps.set(name, step(step)));
        return json;
    }

    /** The results object of a run, as the result JSON carries it: each output name with its value. */
    public static ObjectNode results(PipelineResult result) {
        ObjectNode results = NODES.objectNode();
        result.results().forEach(results::set);
        return results;
    }

    /** The result as JSON text, with decimals written plainly. */
    public static String write(PipelineResult result, String version) {
        return write(result, version, "");
    }

    /**
     * As {@link #write(PipelineResult, String)}, with {@code variant} (the deployment variant that served the run)
     * after the version when it is not empty.
     */
    public static String write(PipelineResult result, String version, String variant) {
        ObjectNode json = toJson(result, version);
        if (!variant.isEmpty()) {
            ObjectNode ordered = NODES.objectNode();
            json.properties().forEach(field -> {
                ordered.set(field.getKey(), field.getValue());
                if (field.getKey().equals("version")) {
                    ordered.put("variant", variant);
                }
            });
            json = ordered;
        }
        try {
            return PLAIN_DECIMALS.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a result tree could not be written", e);
        }
    }

    private static ObjectNode step(StepResult step) {
        ObjectNode json = NODES.objectNode();
        json.put("status", step.status().jsonName());
        json.put("model", step.model().orElse(null));
        json.put("provider_model", step.providerModel().orElse(null));
        json.put("latency_ms", step.latency().toMillis());
        ArrayNode attempts = json.putArray("attempts");
        step.attempts().forEach(attempt -> attempts.add(attempt(attempt)));
        json.set("usage", usage(step.usage()));
        json.put("cost_usd", decimal(step.costUsd()));
        json.put("reason", step.reason().orElse(null));
        return json;
    }

    private static ObjectNode attempt(Attempt attempt) {
        ObjectNode json = NODES.objectNode();
        json.put("model", attempt.model());
        json.put("number", attempt.number());
        json.put("waited_ms", attempt.waitedBefore().toMillis());
        json.put("latency_ms", attempt.latency().toMillis());
        Optional<String> error = attempt.error().map(e -> e.kind() + ": " + e.message());
        json.put("error", error.orElse(null));
        return json;
    }

    private static ObjectNode usage(Usage usage) {
        ObjectNode json = NODES.objectNode();
        json.put("input_tokens", usage.inputTokens());
        json.put("output_tokens", usage.outputTokens());
        json.put("cached_input_tokens", usage.cachedInputTokens());
        return json;
    }

    private static BigDecimal decimal(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }
}
