package dev.pipewright.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Spend per day by tenant (master sign-in only), pipeline, provider and model as stacked bar charts, the budgets with
 * their 80% mark, and the same numbers as CSV. A tenant sees only its own spend.
 */
final class CostPage {
    static final List<String> DIMENSIONS = List.of("tenant", "pipeline", "provider", "model");
    private static final List<Integer> PERIODS = List.of(7, 30, 90);

    private final ConsoleSources sources;
    private final Templates templates;

    CostPage(ConsoleSources sources, Templates templates) {
        this.sources = sources;
        this.templates = templates;
    }

    Reply page(ServerRequest request, Viewer viewer, Form form) {
        Map<String, Object> scope = Console.layout(viewer, "costs", "Costs", sources);
        Optional<CostsView> costs = sources.views().costs();
        scope.put("configured", costs.isPresent());
        if (costs.isEmpty()) {
            return Reply.ok(templates.render("costs", scope));
        }
        int days = days(request);
        LocalDate to = LocalDate.ofInstant(sources.clock().instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(days - 1L);
        Optional<String> tenant = scope(viewer);
        List<Map<String, Object>> charts = new ArrayList<>();
        String total = "0";
        for (String dimension : DIMENSIONS) {
            if (dimension.equals("tenant") && !viewer.master()) {
                continue;
            }
            JsonNode report = costs.get().costs(tenant, from, to, List.of("day", dimension));
            total = report.path("total_usd").asText("0");
            CostCharts.Chart chart = CostCharts.perDay(report.path("rows"), dimension, from, to);
            charts.add(Map.of("dimension", dimension, "svg", chart.svg(), "legend", chart.legend()));
        }
        scope.put("charts", charts);
        scope.put("total", "$" + total);
        scope.put("from", from.toString());
        scope.put("to", to.toString());
        scope.put(
                "periods",
                PERIODS.stream()
                        .map(period -> Map.of(
                                "days",
                                period,
                                "href",
                                Console.PATH + "/costs?days=" + period,
                                "active",
                                period == days))
                        .toList());
        scope.put("csv", Console.PATH + "/costs.csv?days=" + days);
        List<Map<String, Object>> budgets = new ArrayList<>();
        for (JsonNode budget : costs.get().budgets(tenant).path("budgets")) {
            budgets.add(budgetRow(budget));
        }
        scope.put("budgets", budgets);
        return Reply.ok(templates.render("costs", scope));
    }

    Reply csv(ServerRequest request, Viewer viewer, Form form) {
        CostsView costs =
                sources.views().costs().orElseThrow(() -> new IllegalArgumentException("Costs are not configured."));
        int days = days(request);
        LocalDate to = LocalDate.ofInstant(sources.clock().instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(days - 1L);
        List<String> groupBy = List.of("day", "tenant", "pipeline", "provider", "model");
        JsonNode report = costs.costs(scope(viewer), from, to, groupBy);
        StringBuilder csv =
                new StringBuilder(String.join(",", groupBy)).append(",calls,input_tokens,output_tokens,cost_usd\n");
        for (JsonNode row : report.path("rows")) {
            for (String dimension : groupBy) {
                csv.append(cell(row.path(dimension).asText(""))).append(',');
            }
            csv.append(row.path("calls").asText("0"))
                    .append(',')
                    .append(row.path("input_tokens").asText("0"))
                    .append(',')
                    .append(row.path("output_tokens").asText("0"))
                    .append(',')
                    .append(row.path("cost_usd").asText("0"))
                    .append('\n');
        }
        return new Reply.Download(
                "text/csv; charset=utf-8",
                "pipewright-costs-" + from + "-" + to + ".csv",
                csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> budgetRow(JsonNode budget) {
        double ratio = budget.path("ratio").asDouble(0);
        double limit = budget.path("limit_usd").asDouble(0);
        double reserved = limit <= 0 ? 0 : budget.path("reserved_usd").asDouble(0) / limit;
        String label = budget.path("tenant").asText("")
                + (budget.hasNonNull("pipeline")
                        ? " / " + budget.path("pipeline").asText()
                        : "")
                + " · " + budget.path("period").asText("");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("label", label);
        row.put(
                "used",
                "$" + budget.path("used_usd").asText("0") + " of $"
                        + budget.path("limit_usd").asText("0"));
        row.put("percent", String.format(Locale.ROOT, "%.0f%%", ratio * 100));
        row.put("bar", CostCharts.budgetBar(ratio, reserved));
        row.put("warn", ratio >= 0.8);
        row.put("action", budget.path("action").asText(""));
        row.put("resets", budget.path("resets_at").asText(""));
        return row;
    }

    private static Optional<String> scope(Viewer viewer) {
        return viewer.master() ? Optional.empty() : Optional.of(viewer.tenant());
    }

    private static int days(ServerRequest request) {
        return request.query()
                .first("days")
                .asOptional()
                .flatMap(text -> PERIODS.stream()
                        .filter(period -> Integer.toString(period).equals(text))
                        .findFirst())
                .orElse(7);
    }

    /** A CSV cell, quoted when it holds a separator, and defused when a spreadsheet would read it as a formula. */
    static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
