package dev.pipewright.config;

import java.math.BigDecimal;
import java.util.Optional;

/** USD per million tokens for one pinned model version. */
public record Price(BigDecimal inputPerMtok, BigDecimal outputPerMtok, Optional<BigDecimal> cachedInputPerMtok) {
    public Price {
        requireNonNegative("input_per_mtok", inputPerMtok);
        requireNonNegative("output_per_mtok", outputPerMtok);
        cachedInputPerMtok.ifPresent(value -> requireNonNegative("cached_input_per_mtok", value));
    }

    /**
     * USD for {@code inputTokens} at the input price, except the {@code cachedInputTokens} among them at the
     * cached-input price when there is one, and {@code outputTokens} at the output price.
     */
    public BigDecimal cost(long inputTokens, long outputTokens, long cachedInputTokens) {
        long cached = cachedInputPerMtok.isPresent() ? Math.min(cachedInputTokens, inputTokens) : 0;
        return inputPerMtok
                .multiply(BigDecimal.valueOf(inputTokens - cached))
                .add(outputPerMtok.multiply(BigDecimal.valueOf(outputTokens)))
                .add(cachedInputPerMtok.orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(cached)))
                .movePointLeft(6);
    }

    private static void requireNonNegative(String name, BigDecimal value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + value);
        }
    }
}
