package dev.pipewright.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.jobs.QueueStats;
import dev.pipewright.router.Readiness;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The overview: readiness and every model's availability, circuit and recent latency and errors; requests per
 * minute and the cache hit rate; the queue; spend today against the daily budget. The page reloads its main part every
 * few seconds (console.js). Queue-wide and process-wide rates are shown to a master sign-in only, as they count
 * every tenant's traffic.
 */
final class OverviewPage {
    private final ConsoleSources sources;
    private final Templates templates;
    private final MetricWindow window;

    OverviewPage(ConsoleSources sources, Templates templates, MetricWindow window) {
        this.sources = sources;
        this.templates = templates;
        this.window = window;
    }

    Reply page(ServerRequest request, Viewer viewer, Form form) {
        Map<String, Object> scope = Console.layout(viewer, "overview", "Overview", sources);
        Readiness.Report report = sources.readiness().report();
        MetricWindow.Stats stats = window.stats();
        scope.put("ready", report.ready());
        scope.put("blocking", String.join(", ", report.blocking()));
        scope.put("span", minutes(stats.span()));
        List<Map<String, Object>> models = new ArrayList<>();
        for (Readiness.ModelStatus status : report.models()) {
            ModelConfig model = sources.config().get().models().get(status.alias());
            Optional<MetricWindow.ModelRates> rates =
                    Optional.ofNullable(stats.models().get(status.alias()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("alias", status.alias());
            row.put("pinned", model == null ? "" : model.provider() + " · " + model.model());
            row.put("available", status.available());
            row.put("circuit", status.circuit());
            row.put("optional", status.optional());
            row.put("servedBy", status.servedBy().orElse(""));
            row.put("lastError", status.lastError().orElse(""));
            row.put("calls", rates.map(MetricWindow.ModelRates::calls).orElse(0L));
            row.put(
                    "errorRate",
                    rates.filter(r -> r.calls() > 0)
                            .map(r -> percent(r.errorRate()))
                            .orElse("—"));
            row.put(
                    "p50",
                    rates.flatMap(MetricWindow.ModelRates::p50Ms)
                            .map(OverviewPage::ms)
                            .orElse("—"));
            row.put(
                    "p95",
                    rates.flatMap(MetricWindow.ModelRates::p95Ms)
                            .map(OverviewPage::ms)
                            .orElse("—"));
            models.add(row);
        }
        scope.put("models", models);
        if (viewer.master()) {
            scope.put("rpm", String.format(Locale.ROOT, "%.1f", stats.requestsPerMinute()));
            scope.put(
                    "cacheHitRate",
                    stats.cacheHitRate().map(OverviewPage::percent).orElse("—"));
            sources.jobs()
                    .ifPresent(jobs -> scope.put("queue", queue(jobs.store().stats())));
        }
        scope.put("jobsConfigured", sources.jobs().isPresent());
        sources.views().costs().ifPresent(costs -> scope.put("budgets", today(costs, viewer)));
        scope.put("costsConfigured", sources.views().costs().isPresent());
        return Reply.ok(templates.render("overview", scope));
    }

    private static Map<String, Object> queue(QueueStats stats) {
        return Map.of(
                "depth", stats.queueDepth(),
                "scheduled", stats.scheduled(),
                "inFlight", stats.inFlight(),
                "oldest", human(stats.oldestWaiting()),
                "dead", stats.deadLettered(),
                "hasDead", stats.deadLettered() > 0);
    }

    /** Spend today and each daily budget of the viewer (every tenant's for a master sign-in). */
    private List<Map<String, Object>> today(CostsView costs, Viewer viewer) {
        Optional<String> tenant = viewer.master() ? Optional.empty() : Optional.of(viewer.tenant());
        LocalDate day = LocalDate.ofInstant(sources.clock().instant(), ZoneOffset.UTC);
        JsonNode spent = costs.costs(tenant, day, day, List.of("tenant"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode budget : costs.budgets(tenant).path("budgets")) {
            if (!"daily".equals(budget.path("period").asText())) {
                continue;
            }
            rows.add(CostPage.budgetRow(budget));
        }
        if (rows.isEmpty()) {
            rows.add(Map.of(
                    "label",
                    "spent today, no daily budget",
                    "used",
                    "$" + spent.path("total_usd").asText("0")));
        }
        return rows;
    }

    static String ms(double value) {
        return value >= 1000
                ? String.format(Locale.ROOT, "%.2f s", value / 1000)
                : String.format(Locale.ROOT, "%.0f ms", value);
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    static String human(Duration duration) {
        if (duration.isZero()) {
            return "none waiting";
        }
        if (duration.toMinutes() >= 1) {
            return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
        }
        return duration.toSeconds() + " s";
    }

    private static String minutes(Duration span) {
        long minutes = Math.max(1, Math.round(span.toSeconds() / 60.0));
        return minutes + " min";
    }
}
