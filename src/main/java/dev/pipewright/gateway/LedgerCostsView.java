package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.cost.CostQuery;
import dev.pipewright.cost.Dimension;
import dev.pipewright.gateway.console.CostsView;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The console's cost pages read the same ledger and budgets, in the same shapes, as {@code /v1/costs}. */
final class LedgerCostsView implements CostsView {
    private final CostsApi costs;
    private final JsonBodies bodies;

    LedgerCostsView(CostsApi costs, JsonBodies bodies) {
        this.costs = costs;
        this.bodies = bodies;
    }

    @Override
    public JsonNode costs(Optional<String> tenant, LocalDate from, LocalDate to, List<String> groupBy) {
        CostQuery query = new CostQuery(
                from.atStartOfDay().toInstant(ZoneOffset.UTC),
                to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                groupBy.stream().map(Dimension::of).toList(),
                tenant);
        return CostRoutes.report(bodies, costs, query);
    }

    @Override
    public JsonNode budgets(Optional<String> tenant) {
        return CostRoutes.budgets(bodies, costs, tenant);
    }
}
