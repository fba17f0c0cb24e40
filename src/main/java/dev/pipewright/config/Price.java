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

    private static void requireNonNegative(String name, BigDecimal value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + value);
        }
    }
}
