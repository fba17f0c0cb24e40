package dev.pipewright.config;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * USD per million tokens for one pinned model version, and per input image for a model billed that way. Rates per
 * million tokens have at most 6 decimal places and an image rate at most 12, so that every cost is a whole number of
 * pico-dollars and sums exactly wherever it is stored.
 */
public record Price(
        BigDecimal inputPerMtok,
        BigDecimal outputPerMtok,
        Optional<BigDecimal> cachedInputPerMtok,
        Optional<BigDecimal> perImage) {
    private static final int MTOK_SCALE = 6;
    private static final int IMAGE_SCALE = 12;

    public Price {
        check("input_per_mtok", inputPerMtok, MTOK_SCALE);
        check("output_per_mtok", outputPerMtok, MTOK_SCALE);
        cachedInputPerMtok.ifPresent(value -> check("cached_input_per_mtok", value, MTOK_SCALE));
        perImage.ifPresent(value -> check("per_image", value, IMAGE_SCALE));
    }

    /** A price per token only. */
    public Price(BigDecimal inputPerMtok, BigDecimal outputPerMtok, Optional<BigDecimal> cachedInputPerMtok) {
        this(inputPerMtok, outputPerMtok, cachedInputPerMtok, Optional.empty());
    }

    /**
     * The exact cost in USD of {@code inputTokens} (of which {@code cachedTokens} were served from the provider's
     * cache), {@code outputTokens} and {@code images} input images. Cached tokens are charged at the cached-input
     * rate when this price has one, else as any input token.
     */
    public BigDecimal costOf(long inputTokens, long cachedTokens, long outputTokens, long images) {
        long cached = cachedInputPerMtok.isPresent() ? Math.min(cachedTokens, inputTokens) : 0;
        BigDecimal perMillion = inputPerMtok
                .multiply(BigDecimal.valueOf(inputTokens - cached))
                .add(outputPerMtok.multiply(BigDecimal.valueOf(outputTokens)))
                .add(cachedInputPerMtok.orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(cached)));
        BigDecimal imageCost = perImage.orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(images));
        return perMillion.movePointLeft(6).add(imageCost);
    }

    private static void check(String name, BigDecimal value, int maxScale) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + value.toPlainString());
        }
        if (value.stripTrailingZeros().scale() > maxScale) {
            throw new IllegalArgumentException(
                    name + " may have at most " + maxScale + " decimal places, but was " + value.toPlainString());
        }
    }
}
