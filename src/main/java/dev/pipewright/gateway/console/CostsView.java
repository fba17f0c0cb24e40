package dev.pipewright.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What the console's cost page reads, in the shapes of {@code GET /v1/costs} and {@code GET /v1/budgets}, so that the
 * page and the HTTP API show the same numbers. {@code tenant} empty means every tenant (a master sign-in only).
 */
public interface CostsView {
    /**
     * {@code {"from","to","group_by":[..],"rows":[{<dims>,"calls","input_tokens","output_tokens","cost_usd"}],
     * "total_usd"}} for the days {@code from} to {@code to}, both included, grouped by {@code groupBy} (of tenant,
     * pipeline, provider, model, day).
     */
    JsonNode costs(Optional<String> tenant, LocalDate from, LocalDate to, List<String> groupBy);

    /**
     * {@code {"budgets":[{"scope","tenant","pipeline"?,"period","limit_usd","used_usd","reserved_usd","ratio",
     * "resets_at","action"}]}}.
     */
    JsonNode budgets(Optional<String> tenant);
}
