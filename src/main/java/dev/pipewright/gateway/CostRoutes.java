package dev.pipewright.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.cost.BudgetStatus;
import dev.pipewright.cost.CostPeriod;
import dev.pipewright.cost.CostQuery;
import dev.pipewright.cost.CostReport;
import dev.pipewright.cost.Dimension;
import dev.pipewright.gateway.auth.Tenant;
import dev.pipewright.gateway.auth.Tenants;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/costs?from=&to=&group_by=&tenant=} sums the cost ledger per group, and {@code GET /v1/budgets} shows
 * every budget with what it has used and holds. A tenant key sees only its own tenant; the master key sees every
 * tenant, or the one {@code tenant=} names.
 */
final class CostRoutes {
    private static final Set<String> COST_PARAMETERS = Set.of("from", "to", "group_by", "tenant");

    private final CostsApi costs;
    private final JsonBodies bodies;
    private final InstantSource clock;

    CostRoutes(CostsApi costs, JsonBodies bodies, InstantSource clock) {
        this.costs = costs;
        this.bodies = bodies;
        this.clock = clock;
    }

    void costs(ServerRequest request, ServerResponse response, String requestId) throws IOException {
        var query = request.query();
        for (String name : query.names()) {
            if (!COST_PARAMETERS.contains(name)) {
                throw new BadRequestException("unknown parameter '" + name + "'; allowed: from, to, group_by, tenant");
            }
        }
        Instant now = clock.instant();
        CostQuery costQuery;
        try {
            costQuery = new CostQuery(
                    CostPeriod.from(query.first("from").orElse(null), now),
                    CostPeriod.to(query.first("to").orElse(null), now),
                    groupBy(query.first("group_by").orElse("")),
                    visibleTenant(request, query.first("tenant").asOptional()));
        } catch (IllegalArgumentException bad) {
            throw new BadRequestException(bad.getMessage());
        }
        ObjectNode body = report(bodies, costs, costQuery);
        send(response, body);
    }

    void budgets(ServerRequest request, ServerResponse response, String requestId) throws IOException {
        ObjectNode body = budgets(
                bodies,
                costs,
                visibleTenant(request, request.query().first("tenant").asOptional()));
        send(response, body);
    }

    /** {@code GET /v1/costs}'s body: the ledger summed per group of {@code query}. */
    static ObjectNode report(JsonBodies bodies, CostsApi costs, CostQuery query) {
        CostReport report = costs.ledger().report(query);
        ObjectNode body = bodies.mapper().createObjectNode();
        body.put("from", query.from().toString()).put("to", query.to().toString());
        ArrayNode dims = body.putArray("group_by");
        query.groupBy().forEach(dimension -> dims.add(dimension.key()));
        ArrayNode rows = body.putArray("rows");
        for (CostReport.Row row : report.rows()) {
            ObjectNode json = rows.addObject();
            query.groupBy().forEach(d -> json.put(d.key(), row.dimensions().get(d)));
            json.put("calls", row.calls())
                    .put("input_tokens", row.inputTokens())
                    .put("output_tokens", row.outputTokens())
                    .put("cost_usd", row.costUsd());
        }
        body.put("total_usd", report.totalUsd());
        return body;
    }

    /** {@code GET /v1/budgets}'s body: every budget of {@code tenant} (every tenant when empty). */
    static ObjectNode budgets(JsonBodies bodies, CostsApi costs, Optional<String> tenant) {
        List<BudgetStatus> statuses = costs.budgets().statuses(tenant);
        ObjectNode body = bodies.mapper().createObjectNode();
        ArrayNode list = body.putArray("budgets");
        for (BudgetStatus status : statuses) {
            ObjectNode json = list.addObject().put("scope", status.scope()).put("tenant", status.tenant());
            status.pipeline().ifPresent(pipeline -> json.put("pipeline", pipeline));
            json.put("period", status.period())
                    .put("limit_usd", status.limitUsd())
                    .put("used_usd", status.usedUsd())
                    .put("reserved_usd", status.reservedUsd())
                    .put("ratio", status.ratio())
                    .put("resets_at", status.resetsAt().toString())
                    .put("action", status.action().name().toLowerCase(Locale.ROOT));
            status.degradeTo().ifPresent(target -> json.put("degrade_to", target));
        }
        return body;
    }

    /** Who the caller may see: its own tenant, or for the master key every tenant or the one asked for. */
    private static Optional<String> visibleTenant(ServerRequest request, Optional<String> asked) {
        Tenant caller = Tenants.of(request);
        if (caller.master()) {
            return asked;
        }
        if (asked.isPresent() && !asked.get().equals(caller.name())) {
            throw new BadRequestException(
                    "tenant: a tenant key sees only its own tenant '" + caller.name() + "', not '" + asked.get() + "'");
        }
        return Optional.of(caller.name());
    }

    private static List<Dimension> groupBy(String text) {
        List<Dimension> dimensions = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                try {
                    dimensions.add(Dimension.of(part.strip()));
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("group_by: " + bad.getMessage());
                }
            }
        }
        return dimensions;
    }

    private void send(ServerResponse response, ObjectNode body) throws IOException {
        response.header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(bodies.mapper()
                        .writer()
                        .with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                        .writeValueAsBytes(body));
    }
}
