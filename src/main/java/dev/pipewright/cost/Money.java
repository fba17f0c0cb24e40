package dev.pipewright.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * USD as a whole number of pico-dollars (1e-12 USD), the unit the ledger and the budget stores keep money in so that
 * sums are exact in SQLite, PostgreSQL and Redis alike. Every price has at most 6 decimal places per million tokens,
 * so the cost of a call is always a whole number of pico-dollars.
 */
final class Money {
    private static final int SCALE = 12;

    private Money() {}

    /** {@code usd} in pico-dollars, rounded up, so that a reservation is never smaller than the amount. */
    static long picos(BigDecimal usd) {
        return usd.movePointRight(SCALE).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static BigDecimal usd(long picos) {
        return usd(BigDecimal.valueOf(picos));
    }

    /** A sum of pico-dollars in USD, without trailing zeros past the cent. */
    static BigDecimal usd(BigDecimal picos) {
        BigDecimal usd = picos.movePointLeft(SCALE).stripTrailingZeros();
        return usd.scale() < 2 ? usd.setScale(2) : usd;
    }
}
