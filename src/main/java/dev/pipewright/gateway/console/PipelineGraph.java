package dev.pipewright.gateway.console;

import static dev.pipewright.gateway.console.Templates.escape;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.StepConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A pipeline's DAG as SVG: one box per step in columns by depth (a step sits one column right of the deepest step it
 * needs), an arrow per {@code needs}, and in each box the model alias, the pinned provider model and the fallbacks.
 * Optional steps have a dashed border; steps with {@code when} say their condition.
 */
final class PipelineGraph {
    static final int BOX_WIDTH = 230;
    static final int BOX_HEIGHT = 74;
    private static final int COLUMN_GAP = 56;
    private static final int ROW_GAP = 18;
    private static final int MARGIN = 8;

    private PipelineGraph() {}

    static String svg(PipelineConfig pipeline, Function<String, ModelConfig> models) {
        Map<String, Integer> depth = depths(pipeline);
        Map<Integer, List<StepConfig>> columns = new HashMap<>();
        for (StepConfig step : pipeline.steps()) {
            columns.computeIfAbsent(depth.get(step.name()), key -> new ArrayList<>())
                    .add(step);
        }
        int columnCount =
                columns.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        int rowCount = columns.values().stream().mapToInt(List::size).max().orElse(1);
        Map<String, int[]> at = new HashMap<>();
        columns.forEach((column, steps) -> {
            for (int row = 0; row < steps.size(); row++) {
                at.put(
                        steps.get(row).name(),
                        new int[] {MARGIN + column * (BOX_WIDTH + COLUMN_GAP), MARGIN + row * (BOX_HEIGHT + ROW_GAP)});
            }
        });
        int width = 2 * MARGIN + columnCount * BOX_WIDTH + (columnCount - 1) * COLUMN_GAP;
        int height = 2 * MARGIN + rowCount * BOX_HEIGHT + (rowCount - 1) * ROW_GAP;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg class=\"dag\" viewBox=\"0 0 %d %d\" width=\"%d\" role=\"img\" aria-label=\"%s\">",
                width,
                height,
                width,
                escape("steps of pipeline " + pipeline.name())));
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\""
                + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" class=\"edge-head\"/>"
                + "</marker></defs>");
        for (StepConfig step : pipeline.steps()) {
            int[] to = at.get(step.name());
            for (String need : step.needs()) {
                int[] from = at.get(need);
                if (from == null) {
                    continue;
                }
                int x1 = from[0] + BOX_WIDTH;
                int y1 = from[1] + BOX_HEIGHT / 2;
                int x2 = to[0];
                int y2 = to[1] + BOX_HEIGHT / 2;
                int middle = (x1 + x2) / 2;
                svg.append(String.format(
                        Locale.ROOT,
                        "<path class=\"edge\" d=\"M%d,%d C%d,%d %d,%d %d,%d\" marker-end=\"url(#arrow)\"/>",
                        x1,
                        y1,
                        middle,
                        y1,
                        middle,
                        y2,
                        x2 - 2,
                        y2));
            }
        }
        for (StepConfig step : pipeline.steps()) {
            box(svg, step, models, at.get(step.name()));
        }
        return svg.append("</svg>").toString();
    }

    private static void box(StringBuilder svg, StepConfig step, Function<String, ModelConfig> models, int[] at) {
        ModelConfig model = models.apply(step.model());
        String pinned = model == null ? "unknown model" : model.provider() + " · " + model.model();
        String fallbacks = model == null || model.fallbacks().isEmpty()
                ? "no fallback"
                : "fallbacks: " + String.join(" → ", model.fallbacks());
        svg.append(String.format(
                Locale.ROOT,
                "<g class=\"step%s\" data-step=\"%s\"><title>%s</title>",
                step.optional() ? " optional" : "",
                escape(step.name()),
                escape(step.name()
                        + (step.when().map(when -> " (when " + when + ")").orElse(""))
                        + (step.optional() ? ", optional" : ""))));
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\"/>",
                at[0],
                at[1],
                BOX_WIDTH,
                BOX_HEIGHT));
        String heading = step.name() + (step.when().isPresent() ? "  ⟨when⟩" : "");
        text(svg, "step-name", at[0] + 10, at[1] + 20, heading);
        text(svg, "step-model", at[0] + 10, at[1] + 38, step.model());
        text(svg, "step-pinned", at[0] + 10, at[1] + 53, clip(pinned, 36));
        text(svg, "step-fallbacks", at[0] + 10, at[1] + 67, clip(fallbacks, 36));
        svg.append("</g>");
    }

    private static void text(StringBuilder svg, String cssClass, int x, int y, String text) {
        svg.append(String.format(
                Locale.ROOT, "<text class=\"%s\" x=\"%d\" y=\"%d\">%s</text>", cssClass, x, y, escape(text)));
    }

    private static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    /** Each step's column: 0 for a step that needs nothing, else one more than the deepest step it needs. */
    static Map<String, Integer> depths(PipelineConfig pipeline) {
        Map<String, Integer> depth = new HashMap<>();
        boolean changed = true;
        // The configuration refuses cycles, so this settles within as many rounds as there are steps.
        for (int round = 0; changed && round <= pipeline.steps().size(); round++) {
            changed = false;
            for (StepConfig step : pipeline.steps()) {
                int own = step.needs().stream()
                        .mapToInt(need -> depth.getOrDefault(need, 0) + 1)
                        .max()
                        .orElse(0);
                if (!Integer.valueOf(own).equals(depth.get(step.name()))) {
                    depth.put(step.name(), own);
                    changed = true;
                }
            }
        }
        return depth;
    }
}
