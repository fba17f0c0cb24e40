package dev.pipewright.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.router.Variant;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A run the gateway served: which variant and version, for whom, on what input, and how it went. {@code results} is
 * the results object of a run that succeeded (degraded included), empty for a run that failed.
 */
public record ServedRun(
        Variant variant,
        String version,
        String tenant,
        String requestId,
        JsonNode input,
        Optional<JsonNode> results,
        Duration latency,
        BigDecimal costUsd) {
    public ServedRun {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(costUsd, "costUsd");
    }

    public boolean failed() {
        return results.isEmpty();
    }
}
