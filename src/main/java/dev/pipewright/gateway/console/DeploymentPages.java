package dev.pipewright.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.gateway.console.DeploymentsView.DeploymentAction;
import io.helidon.webserver.http.ServerRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The deployments: stable and candidate versions, the canary's progress with every decision and its numbers, the
 * shadow comparison and the eval results, and the promote, pause, resume and roll back buttons (a master sign-in
 * only, as on the HTTP API).
 */
final class DeploymentPages {
    private final ConsoleSources sources;
    private final Templates templates;

    DeploymentPages(ConsoleSources sources, Templates templates) {
        this.sources = sources;
        this.templates = templates;
    }

    Reply list(ServerRequest request, Viewer viewer, Form form) {
        Map<String, Object> scope = Console.layout(viewer, "deployments", "Deployments", sources);
        Optional<DeploymentsView> view = sources.views().deployments();
        scope.put("configured", view.isPresent());
        if (view.isPresent()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode summary : view.get().list().path("deployments")) {
                rows.add(summary(summary));
            }
            scope.put("deployments", rows);
        }
        return Reply.ok(templates.render("deployments", scope));
    }

    Reply show(ServerRequest request, Viewer viewer, Form form) {
        String name = request.path().pathParameters().get("name");
        DeploymentsView view = sources.views()
                .deployments()
                .orElseThrow(() -> new IllegalArgumentException("Deployments are not configured."));
        JsonNode deployment =
                view.find(name).orElseThrow(() -> new IllegalArgumentException("No deployment named " + name + "."));
        Map<String, Object> scope = Console.layout(viewer, "deployments", "Deployment " + name, sources);
        Map<String, Object> detail = summary(deployment);
        JsonNode canary = deployment.path("canary");
        if (canary.isObject()) {
            double weight = canary.path("weight").asDouble(0);
            List<String> steps = new ArrayList<>();
            canary.path("steps").forEach(step -> steps.add(weight(step)));
            detail.put(
                    "canary",
                    Map.of(
                            "step", (canary.path("step").asInt(0) + 1) + (steps.isEmpty() ? "" : " of " + steps.size()),
                            "steps", String.join(" → ", steps),
                            "weight", weight(canary.path("weight")),
                            "nextAt", canary.path("next_at").asText("—"),
                            "bar", CostCharts.progressBar(weight / 100)));
        }
        List<Map<String, Object>> history = new ArrayList<>();
        for (JsonNode entry : deployment.path("history")) {
            history.add(Map.of(
                    "at", entry.path("at").asText(""),
                    "action", entry.path("action").asText(""),
                    "by", entry.path("by").asText(""),
                    "reason", entry.path("reason").asText(""),
                    "numbers", pairs(entry.path("numbers"))));
        }
        detail.put("history", history);
        List<Map<String, Object>> shadow = pairs(deployment.path("shadow"));
        detail.put("shadow", shadow);
        detail.put("hasShadow", !shadow.isEmpty());
        List<Map<String, Object>> evals = new ArrayList<>();
        for (JsonNode eval : deployment.path("evals")) {
            evals.add(Map.of("fields", pairs(eval)));
        }
        detail.put("evals", evals);
        detail.put(
                "stableFields",
                pairs(deployment.path("stable")).stream()
                        .filter(pair -> !pair.get("name").equals("version"))
                        .toList());
        scope.put("deployment", detail);
        scope.put(
                "actions",
                viewer.master()
                        ? List.of(DeploymentAction.values()).stream()
                                .map(action -> Map.of(
                                        "name",
                                        action.pathName(),
                                        "label",
                                        label(action),
                                        "href",
                                        Console.PATH + "/deployments/" + JobPages.encode(name) + "/"
                                                + action.pathName(),
                                        "danger",
                                        action == DeploymentAction.ROLLBACK))
                                .toList()
                        : List.of());
        scope.put("hasActions", viewer.master());
        request.query().first("done").asOptional().ifPresent(done -> scope.put("notice", notice(done)));
        return Reply.ok(templates.render("deployment", scope));
    }

    Reply act(ServerRequest request, Viewer viewer, Form form) {
        String name = request.path().pathParameters().get("name");
        String actionName = request.path().pathParameters().get("action");
        DeploymentAction action = List.of(DeploymentAction.values()).stream()
                .filter(candidate -> candidate.pathName().equals(actionName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown action " + actionName + "."));
        if (!viewer.master()) {
            Map<String, Object> scope = Console.layout(viewer, "deployments", "Forbidden", sources);
            scope.put("message", "Only a master sign-in may change a deployment.");
            return new Reply.Page(403, templates.render("error", scope));
        }
        DeploymentsView view = sources.views()
                .deployments()
                .orElseThrow(() -> new IllegalArgumentException("Deployments are not configured."));
        try {
            view.act(
                    name,
                    action,
                    "master",
                    form.get("reason").filter(r -> !r.isBlank()).orElse("from the console"));
        } catch (IllegalStateException refused) {
            throw new IllegalArgumentException(refused.getMessage());
        }
        return new Reply.Redirect(
                Console.PATH + "/deployments/" + JobPages.encode(name) + "?done=" + action.pathName());
    }

    private static Map<String, Object> summary(JsonNode deployment) {
        Map<String, Object> row = new LinkedHashMap<>();
        String name = deployment.path("name").asText();
        row.put("name", name);
        row.put("href", Console.PATH + "/deployments/" + JobPages.encode(name));
        row.put("target", deployment.path("target").asText(""));
        row.put("state", deployment.path("state").asText(""));
        row.put("stable", deployment.path("stable").path("version").asText("—"));
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (JsonNode candidate : deployment.path("candidates")) {
            candidates.add(Map.of(
                    "name", candidate.path("name").asText(""),
                    "version", candidate.path("version").asText(""),
                    "weight", weight(candidate.path("weight")),
                    "status", candidate.path("status").asText("")));
        }
        row.put("candidates", candidates);
        return row;
    }

    /** The fields of a JSON object as name/value pairs, nested objects written as compact JSON. */
    private static List<Map<String, Object>> pairs(JsonNode object) {
        List<Map<String, Object>> pairs = new ArrayList<>();
        if (!object.isObject()) {
            return pairs;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            pairs.add(Map.of("name", field.getKey(), "value", value.isValueNode() ? value.asText() : value.toString()));
        }
        return pairs;
    }

    /** A traffic share as people write it: 10%, 2.5%. */
    static String weight(JsonNode share) {
        double value = share.asDouble(0);
        return (value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : Double.toString(value)) + "%";
    }

    private static String label(DeploymentAction action) {
        return switch (action) {
            case PROMOTE -> "Promote";
            case PAUSE -> "Pause";
            case RESUME -> "Resume";
            case ROLLBACK -> "Roll back";
        };
    }

    private static String notice(String done) {
        return switch (done.toLowerCase(Locale.ROOT)) {
            case "promote" -> "Promoted.";
            case "pause" -> "Paused.";
            case "resume" -> "Resumed.";
            case "rollback" -> "Rolled back.";
            default -> "Done.";
        };
    }
}
