package dev.pipewright.config;

import java.math.BigDecimal;

/**
 * {@code costs:}: the cost per request above which a request is flagged, the output tokens a budget reserves for a
 * call that sets no {@code max_tokens}, and how many ledger rows may wait to be written before new ones are counted
 * as dropped.
 */
public record CostsConfig(BigDecimal requestCeilingUsd, int reserveOutputTokens, int ledgerQueue) {
    public static final CostsConfig DEFAULT = new CostsConfig(new BigDecimal("0.50"), 4096, 10_000);

    public CostsConfig {
        if (requestCeilingUsd.signum() < 0) {
            throw new IllegalArgumentException(
                    "request_ceiling_usd must not be negative, but was " + requestCeilingUsd.toPlainString());
        }
        if (reserveOutputTokens < 1) {
            throw new IllegalArgumentException(
                    "reserve_output_tokens must be at least 1, but was " + reserveOutputTokens);
        }
        if (ledgerQueue < 1) {
            throw new IllegalArgumentException("ledger_queue must be at least 1, but was " + ledgerQueue);
        }
    }
}
