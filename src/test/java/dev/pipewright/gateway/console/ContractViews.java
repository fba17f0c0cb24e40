package dev.pipewright.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * In-memory costs and deployments in the shapes of the HTTP contract ({@code /v1/costs}, {@code /v1/budgets},
 * {@code /v1/deployments}), for the console's tests.
 */
final class ContractViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractViews() {}

    /** Two tenants' spend on two days, and acme's daily budget at 85%. */
    static final class Costs implements CostsView {
        final List<Optional<String>> askedForTenants = new ArrayList<>();

        @Override
        public JsonNode costs(Optional<String> tenant, LocalDate from, LocalDate to, List<String> groupBy) {
            askedForTenants.add(tenant);
            ObjectNode report =
                    JSON.createObjectNode().put("from", from.toString()).put("to", to.toString());
            groupBy.forEach(report.putArray("group_by")::add);
            var rows = report.putArray("rows");
            String[][] data = {
                {"acme", "analyze", "sim", "classifier", "0.50"},
                {"acme", "analyze", "sim", "analyst", "1.25"},
                {"globex", "summarize", "sim", "analyst", "=2.00"}
            };
            double total = 0;
            for (String[] row : data) {
                if (tenant.isPresent() && !tenant.get().equals(row[0])) {
                    continue;
                }
                double cost = Double.parseDouble(row[4].replace("=", ""));
                total += cost;
                ObjectNode node = rows.addObject();
                for (String dimension : groupBy) {
                    node.put(
                            dimension,
                            switch (dimension) {
                                case "day" -> to.toString();
                                case "tenant" -> row[0];
                                case "pipeline" -> row[1];
                                case "provider" -> row[2];
                                default -> row[3];
                            });
                }
                node.put("calls", 3)
                        .put("input_tokens", 100)
                        .put("output_tokens", 40)
                        .put("cost_usd", cost);
            }
            return report.put("total_usd", total);
        }

        @Override
        public JsonNode budgets(Optional<String> tenant) {
            return read("""
                    {"budgets": [{"scope": "tenant", "tenant": "acme", "period": "daily", "limit_usd": 2.0,
                      "used_usd": 1.70, "reserved_usd": 0.1, "ratio": 0.85, "resets_at": "2026-01-02T00:00:00Z",
                      "action": "reject"}]}
                    """);
        }
    }

    /** One deployment of pipeline echo with a canary at 10%, which the actions move. */
    static final class Deployments implements DeploymentsView {
        final List<String> actions = new ArrayList<>();
        private String state = "canary";

        @Override
        public JsonNode list() {
            ObjectNode list = JSON.createObjectNode();
            list.putArray("deployments").add(deployment());
            return list;
        }

        @Override
        public Optional<JsonNode> find(String name) {
            return name.equals("echo") ? Optional.of(deployment()) : Optional.empty();
        }

        @Override
        public JsonNode act(String name, DeploymentAction action, String by, String reason) {
            if (!name.equals("echo")) {
                throw new IllegalArgumentException("no deployment named " + name);
            }
            if (action == DeploymentAction.ROLLBACK && state.equals("rolled_back")) {
                throw new IllegalStateException("already rolled back");
            }
            actions.add(action.pathName() + " by " + by);
            state = switch (action) {
                case ROLLBACK -> "rolled_back";
                case PROMOTE -> "promoted";
                case PAUSE -> "paused";
                case RESUME -> "canary";
            };
            return deployment();
        }

        private ObjectNode deployment() {
            ObjectNode deployment = (ObjectNode) read("""
                    {"name": "echo", "target": "echo", "stable": {"version": "sha256:aaaa"},
                     "candidates": [{"version": "sha256:bbbb", "weight": 10, "status": "canary"}],
                     "canary": {"step": 1, "weight": 10, "next_at": "2026-01-01T00:05:00Z"},
                     "history": [{"at": "2026-01-01T00:00:00Z", "action": "step", "by": "canary", "reason": "healthy",
                                  "numbers": {"error_rate": 0.01, "p95_ms": 210}}],
                     "shadow": {"compared": 40, "agreement": 0.95},
                     "evals": [{"suite": "golden", "score": 0.91, "passed": true}]}
                    """);
            return deployment.put("state", state);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
