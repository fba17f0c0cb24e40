package dev.pipewright.release;

import java.util.Arrays;

/**
 * The tests canary analysis decides by, each one-sided (is the candidate worse?) and returning a p-value: the
 * probability of data at least this extreme when the candidate is no worse than the stable version by the margin.
 * Pure functions; the numbers match textbook tables (see StatisticsTest).
 */
final class Statistics {
    private static final double[] LANCZOS = {
        0.99999999999980993,
        676.5203681218851,
        -1259.1392167224028,
        771.32342877765313,
        -176.61502916214059,
        12.507343278686905,
        -0.13857109526572012,
        9.9843695780195716e-6,
        1.5056327351493116e-7
    };

    private Statistics() {}

    /**
     * Two-proportion z-test of H1: {@code failuresB/nB - failuresA/nA > margin}, with the unpooled (Wald) standard
     * error, which is the one that fits a non-zero margin. Both samples must be non-empty.
     */
    static double twoProportionZ(long failuresA, long nA, long failuresB, long nB, double margin) {
        double pA = (double) failuresA / nA;
        double pB = (double) failuresB / nB;
        double se = Math.sqrt(pA * (1 - pA) / nA + pB * (1 - pB) / nB);
        return zOf(pB - pA - margin, se);
    }

    /**
     * Fisher's exact test, one-sided: the probability, with both margins of the 2×2 table fixed, that B has at least
     * {@code failuresB} of the failures. For small counts, where the z-test's normal approximation does not hold.
     */
    static double fisherGreater(long failuresA, long nA, long failuresB, long nB) {
        long failures = failuresA + failuresB;
        long total = nA + nB;
        double denominator = logChoose(total, nB);
        double p = 0;
        for (long k = failuresB; k <= Math.min(failures, nB); k++) {
            p += Math.exp(logChoose(failures, k) + logChoose(total - failures, nB - k) - denominator);
        }
        return Math.min(1, p);
    }

    /** P(X ≥ k) for X ~ Binomial(n, p). */
    static double binomialAtLeast(long k, long n, double p) {
        if (k <= 0) {
            return 1;
        }
        if (k > n) {
            return 0;
        }
        double sum = 0;
        for (long i = k; i <= n; i++) {
            sum += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
        }
        return Math.min(1, sum);
    }

    /**
     * Welch's z for H1: {@code meanB > factor·meanA + shift} on large samples: {@code (meanB - factor·meanA - shift) /
     * sqrt(varB/nB + factor²·varA/nA)}. Samples need at least two values each.
     */
    static double welchZ(double[] a, double[] b, double factor, double shift) {
        double se = Math.sqrt(variance(b) / b.length + factor * factor * variance(a) / a.length);
        return zOf(mean(b) - factor * mean(a) - shift, se);
    }

    /** P(Z ≥ z) for a standard normal Z. */
    static double upperTail(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return 0;
        }
        if (z == Double.NEGATIVE_INFINITY) {
            return 1;
        }
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** The standard normal distribution function Φ(z). */
    static double normalCdf(double z) {
        return 1 - upperTail(z);
    }

    /** The nearest-rank percentile ({@code q} in (0, 1]) of a non-empty sample. */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    /** The sample variance (n - 1 in the denominator); 0 for fewer than two values. */
    static double variance(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = mean(values);
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return squares / (values.length - 1);
    }

    /** ln Γ(x) for x > 0, by the Lanczos approximation (g = 7), good to about 15 digits. */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double shifted = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (shifted + i);
        }
        double t = shifted + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    static double logChoose(long n, long k) {
        return logGamma(n + 1.0) - logGamma(k + 1.0) - logGamma(n - k + 1.0);
    }

    /**
     * The complementary error function, by the Chebyshev fit of Numerical Recipes (relative error below 1.2e-7
     * everywhere), which keeps its precision far into the tail where small p-values live.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = -z * z
                - 1.26551223
                + t
                        * (1.00002368
                                + t
                                        * (0.37409196
                                                + t
                                                        * (0.09678418
                                                                + t
                                                                        * (-0.18628806
                                                                                + t
                                                                                        * (0.27886807
                                                                                                + t
                                                                                                        * (-1.13520398
                                                                                                                + t
                                                                                                                        * (1.48851587
                                                                                                                                + t
                                                                                                                                        * (-0.82215223
                                                                                                                                                + t
                                                                                                                                                        * 0.17087277))))))));
        double value = t * Math.exp(poly);
        return x >= 0 ? value : 2 - value;
    }

    private static double zOf(double difference, double se) {
        if (se == 0) {
            return difference > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        return difference / se;
    }
}
