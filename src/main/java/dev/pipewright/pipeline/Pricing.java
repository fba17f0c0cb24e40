package dev.pipewright.pipeline;

import dev.pipewright.config.Price;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.util.Optional;

/** What one answered call costs at its model's price; the cost link of the model-call chain uses the same rates. */
final class Pricing {
    private Pricing() {}

    /**
     * Input tokens at the input price, except the cached part of them at the cached-input price when the model has
     * one; output tokens at the output price; each input image at the image price when there is one. No price costs
     * nothing.
     */
    static BigDecimal cost(Usage usage, Optional<Price> price, long images) {
        return price.map(rates ->
                        rates.costOf(usage.inputTokens(), usage.cachedInputTokens(), usage.outputTokens(), images))
                .orElse(BigDecimal.ZERO);
    }

    static BigDecimal cost(Usage usage, Optional<Price> price) {
        return cost(usage, price, 0);
    }
}
