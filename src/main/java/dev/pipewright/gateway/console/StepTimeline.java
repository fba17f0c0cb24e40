package dev.pipewright.gateway.console;

import static dev.pipewright.gateway.console.Templates.escape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.StepConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The per-step timeline of a run, from its result JSON ({@code pipeline.PipelineResultJson}): one row per step, its
 * attempts in order with the wait before each (back-off or Retry-After), which model answered and what it cost. The
 * JSON gives each step's duration, not its start; a step is drawn starting when the last step it needs ended, which
 * is when the executor starts it.
 */
final class StepTimeline {
    private static final int LABEL = 150;
    private static final int BARS = 600;
    private static final int ROW = 26;

    record Attempt(String model, int number, long waitedMs, long latencyMs, Optional<String> error) {}

    record Step(
            String name,
            String status,
            Optional<String> model,
            Optional<String> providerModel,
            long startMs,
            long endMs,
            List<Attempt> attempts,
            String costUsd,
            Optional<String> reason) {}

    private StepTimeline() {}

    static List<Step> steps(JsonNode result, Optional<PipelineConfig> pipeline) {
        JsonNode stepsJson = result.path("steps");
        Map<String, Long> ends = new HashMap<>();
        List<Step> steps = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = stepsJson.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode json = field.getValue();
            List<String> needs = pipeline.flatMap(p -> p.steps().stream()
                            .filter(step -> step.name().equals(field.getKey()))
                            .findFirst())
                    .map(StepConfig::needs)
                    .orElse(List.of());
            long start = needs.stream()
                    .mapToLong(need -> ends.getOrDefault(need, 0L))
                    .max()
                    .orElse(0);
            long end = start + json.path("latency_ms").asLong(0);
            ends.put(field.getKey(), end);
            List<Attempt> attempts = new ArrayList<>();
            for (JsonNode attempt : json.path("attempts")) {
                attempts.add(new Attempt(
                        attempt.path("model").asText(""),
                        attempt.path("number").asInt(0),
                        attempt.path("waited_ms").asLong(0),
                        attempt.path("latency_ms").asLong(0),
                        text(attempt.path("error"))));
            }
            steps.add(new Step(
                    field.getKey(),
                    json.path("status").asText("unknown"),
                    text(json.path("model")),
                    text(json.path("provider_model")),
                    start,
                    end,
                    attempts,
                    plain(json.path("cost_usd")),
                    text(json.path("reason"))));
        }
        return steps;
    }

    static String svg(List<Step> steps) {
        long total = Math.max(1, steps.stream().mapToLong(Step::endMs).max().orElse(1));
        int height = ROW * steps.size() + 22;
        StringBuilder svg = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg class=\"timeline\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"step timeline\">",
                LABEL + BARS + 10,
                height));
        for (int row = 0; row < steps.size(); row++) {
            Step step = steps.get(row);
            int y = row * ROW;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"tl-label\" x=\"0\" y=\"%d\">%s</text>",
                    y + 17,
                    escape(clip(step.name(), 20))));
            double cursor = step.startMs();
            if (step.attempts().isEmpty()) {
                bar(
                        svg,
                        "tl-" + step.status(),
                        x(step.startMs(), total),
                        y,
                        width(step.endMs() - step.startMs(), total),
                        step.name() + ": " + step.status());
            }
            for (Attempt attempt : step.attempts()) {
                if (attempt.waitedMs() > 0) {
                    bar(
                            svg,
                            "tl-wait",
                            x(cursor, total),
                            y,
                            width(attempt.waitedMs(), total),
                            "waited " + attempt.waitedMs() + " ms before attempt " + attempt.number());
                    cursor += attempt.waitedMs();
                }
                bar(
                        svg,
                        attempt.error().isPresent() ? "tl-error" : "tl-ok",
                        x(cursor, total),
                        y,
                        width(attempt.latencyMs(), total),
                        attempt.model() + " #" + attempt.number() + ": " + attempt.latencyMs() + " ms"
                                + attempt.error().map(error -> ", " + error).orElse(""));
                cursor += attempt.latencyMs();
            }
        }
        int axis = ROW * steps.size() + 16;
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"tl-axis\" x=\"%d\" y=\"%d\">0 ms</text><text class=\"tl-axis end\" x=\"%d\" y=\"%d\">%d ms</text>",
                LABEL,
                axis,
                LABEL + BARS,
                axis,
                total));
        return svg.append("</svg>").toString();
    }

    /** The rows of the table under the timeline, for the template. */
    static List<Map<String, Object>> rows(List<Step> steps) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Step step : steps) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", step.name());
            row.put("status", step.status());
            row.put("model", step.model().orElse("—"));
            row.put("providerModel", step.providerModel().orElse(""));
            row.put("latency", (step.endMs() - step.startMs()) + " ms");
            row.put("cost", "$" + step.costUsd());
            row.put("reason", step.reason().orElse(""));
            List<String> attempts = new ArrayList<>();
            for (Attempt attempt : step.attempts()) {
                attempts.add(attempt.model() + " #" + attempt.number()
                        + (attempt.waitedMs() > 0 ? " after " + attempt.waitedMs() + " ms" : "")
                        + ": " + attempt.latencyMs() + " ms"
                        + attempt.error().map(error -> " — " + error).orElse(" — ok"));
            }
            row.put("attempts", attempts);
            rows.add(row);
        }
        return rows;
    }

    private static void bar(StringBuilder svg, String cssClass, double x, int y, double width, String title) {
        svg.append(String.format(
                Locale.ROOT,
                "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" rx=\"3\"><title>%s</title></rect>",
                cssClass,
                x,
                y + 4,
                Math.max(2, width),
                escape(title)));
    }

    private static double x(double ms, long total) {
        return LABEL + BARS * ms / total;
    }

    private static double width(double ms, long total) {
        return BARS * ms / total;
    }

    /** A decimal as people write it: 0.00000024, not 2.4E-7. */
    static String plain(JsonNode decimal) {
        if (decimal.isNumber()) {
            return decimal.decimalValue().toPlainString();
        }
        try {
            return new java.math.BigDecimal(decimal.asText("0")).toPlainString();
        } catch (NumberFormatException notANumber) {
            return decimal.asText("");
        }
    }

    private static Optional<String> text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    private static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
