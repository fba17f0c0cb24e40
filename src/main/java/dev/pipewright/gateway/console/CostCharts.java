package dev.pipewright.gateway.console;

import static dev.pipewright.gateway.console.Templates.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cost page's charts as SVG drawn on the server: spend per day stacked by one dimension (the {@link #SERIES}
 * largest values, the rest as "other"), and a budget bar with its 80% mark. Colours come from CSS classes
 * {@code s0}..{@code s6}, so the page needs no script and no inline style.
 */
final class CostCharts {
    static final int SERIES = 6;
    private static final int WIDTH = 640;
    private static final int HEIGHT = 180;
    private static final int AXIS = 44;

    /** A chart and its legend: each legend entry has {@code name}, {@code css} and {@code total}. */
    record Chart(String svg, List<Map<String, Object>> legend) {}

    private CostCharts() {}

    /** {@code rows} grouped by day and {@code dimension}, each with {@code cost_usd}. */
    static Chart perDay(JsonNode rows, String dimension, LocalDate from, LocalDate to) {
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            totals.merge(row.path(dimension).asText("—"), decimal(row), BigDecimal::add);
        }
        List<String> top = totals.entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue(Comparator.reverseOrder()))
                .limit(SERIES)
                .map(Map.Entry::getKey)
                .toList();
        List<LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
        Map<LocalDate, Map<String, BigDecimal>> byDay = new TreeMap<>();
        for (JsonNode row : rows) {
            LocalDate day = LocalDate.parse(row.path("day").asText(from.toString()));
            String name = row.path(dimension).asText("—");
            String series = top.contains(name) ? name : "other";
            byDay.computeIfAbsent(day, key -> new LinkedHashMap<>()).merge(series, decimal(row), BigDecimal::add);
        }
        double max = byDay.values().stream()
                .mapToDouble(day -> day.values().stream()
                        .mapToDouble(BigDecimal::doubleValue)
                        .sum())
                .max()
                .orElse(0);
        double scale = max <= 0 ? 0 : (HEIGHT - 20) / max;
        double slot = (double) (WIDTH - AXIS) / Math.max(1, days.size());
        StringBuilder svg = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
                WIDTH,
                HEIGHT + 20,
                escape("spend per day by " + dimension)));
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"axis\" x=\"0\" y=\"14\">$%s</text><text class=\"axis\" x=\"0\" y=\"%d\">$0</text>"
                        + "<line class=\"baseline\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                money(max),
                HEIGHT,
                AXIS,
                HEIGHT,
                WIDTH,
                HEIGHT));
        for (int i = 0; i < days.size(); i++) {
            LocalDate day = days.get(i);
            double x = AXIS + i * slot + slot * 0.15;
            double y = HEIGHT;
            Map<String, BigDecimal> parts = byDay.getOrDefault(day, Map.of());
            List<String> order = new ArrayList<>(top);
            order.add("other");
            for (String series : order) {
                BigDecimal value = parts.get(series);
                if (value == null || value.signum() == 0) {
                    continue;
                }
                double height = Math.max(1, value.doubleValue() * scale);
                y -= height;
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
                        css(top, series),
                        x,
                        y,
                        slot * 0.7,
                        height,
                        escape(day + " " + series + ": $" + value.toPlainString())));
            }
            if (days.size() <= 14 || i % 7 == 0) {
                svg.append(String.format(
                        Locale.ROOT,
                        "<text class=\"axis\" x=\"%.1f\" y=\"%d\">%s</text>",
                        x,
                        HEIGHT + 16,
                        day.toString().substring(5)));
            }
        }
        svg.append("</svg>");
        List<Map<String, Object>> legend = new ArrayList<>();
        for (String series : top) {
            legend.add(Map.of(
                    "name",
                    series,
                    "css",
                    css(top, series),
                    "total",
                    "$" + totals.get(series).toPlainString()));
        }
        if (totals.size() > top.size()) {
            BigDecimal rest = totals.entrySet().stream()
                    .filter(entry -> !top.contains(entry.getKey()))
                    .map(Map.Entry::getValue)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            legend.add(Map.of("name", "other", "css", "s6", "total", "$" + rest.toPlainString()));
        }
        return new Chart(svg.toString(), legend);
    }

    /** A bar filled to {@code ratio} (reserved spend lighter after it), with a mark at 80% of the limit. */
    static String budgetBar(double ratio, double reservedRatio) {
        double used = Math.min(1, Math.max(0, ratio));
        double reserved = Math.min(1 - used, Math.max(0, reservedRatio));
        String state = ratio >= 1 ? "over" : ratio >= 0.8 ? "warn" : "ok";
        return String.format(
                Locale.ROOT,
                "<svg class=\"budget %s\" viewBox=\"0 0 300 22\" role=\"img\" aria-label=\"%.0f%% used\">"
                        + "<rect class=\"track\" x=\"0\" y=\"4\" width=\"300\" height=\"14\" rx=\"3\"/>"
                        + "<rect class=\"used\" x=\"0\" y=\"4\" width=\"%.1f\" height=\"14\" rx=\"3\"/>"
                        + "<rect class=\"reserved\" x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"14\"/>"
                        + "<line class=\"mark\" x1=\"240\" y1=\"0\" x2=\"240\" y2=\"22\"><title>80%%</title></line></svg>",
                state,
                ratio * 100,
                300 * used,
                300 * used,
                300 * reserved);
    }

    /** A plain progress bar filled to {@code share} (0 to 1), for a canary's weight. */
    static String progressBar(double share) {
        double filled = Math.min(1, Math.max(0, share));
        return String.format(
                Locale.ROOT,
                "<svg class=\"progress\" viewBox=\"0 0 300 16\" role=\"img\" aria-label=\"%.0f%%\">"
                        + "<rect class=\"track\" x=\"0\" y=\"2\" width=\"300\" height=\"12\" rx=\"3\"/>"
                        + "<rect class=\"used\" x=\"0\" y=\"2\" width=\"%.1f\" height=\"12\" rx=\"3\"/></svg>",
                filled * 100,
                300 * filled);
    }

    private static String css(List<String> top, String series) {
        int index = top.indexOf(series);
        return "s" + (index < 0 ? SERIES : index);
    }

    private static BigDecimal decimal(JsonNode row) {
        JsonNode cost = row.path("cost_usd");
        return cost.isNumber() ? cost.decimalValue() : new BigDecimal(cost.asText("0"));
    }

    static String money(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
