package dev.pipewright.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One answered model call in the ledger: who it was for (tenant, pipeline, step, request id, allocation tags,
 * variant), which model answered ({@code model} is the configuration's alias, {@code providerModel} the pinned
 * name), its tokens and its exact cost. {@code estimated} is true when the provider reported no usage and the tokens
 * were counted from the text.
 */
public record LedgerEntry(
        Instant at,
        String tenant,
        String pipeline,
        String step,
        String provider,
        String model,
        String providerModel,
        String variant,
        long inputTokens,
        long outputTokens,
        long cachedInputTokens,
        BigDecimal costUsd,
        boolean estimated,
        String requestId,
        Map<String, String> tags) {
    public LedgerEntry {
        Objects.requireNonNull(at, "at");
        tags = Map.copyOf(tags);
        if (costUsd.signum() < 0) {
            throw new IllegalArgumentException("a cost must not be negative, but was " + costUsd.toPlainString());
        }
    }
}
