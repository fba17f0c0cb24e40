package dev.pipewright.pipeline;

import dev.pipewright.config.Price;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.util.Optional;

/** What one answered call costs at its model's price. */
final class Pricing {
    private Pricing() {}

    /**
     * Input tokens at the input price, except the cached part of them at the cached-input price when the model has
     * one; output tokens at the output price. No price costs nothing.
     */
    static BigDecimal cost(Usage usage, Optional<Price> price) {
        if (price.isEmpty()) {
            return BigDecimal.ZERO;
        }
        Price rates = price.get();
        long cached =
                rates.cachedInputPerMtok().isPresent() ? Math.min(usage.cachedInputTokens(), usage.inputTokens()) : 0;
        BigDecimal perMillion = rates.inputPerMtok()
                .multiply(BigDecimal.valueOf(usage.inputTokens() - cached))
                .add(rates.outputPerMtok().multiply(BigDecimal.valueOf(usage.outputTokens())))
                .add(rates.cachedInputPerMtok().orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(cached)));
        return perMillion.movePointLeft(6);
    }
}
