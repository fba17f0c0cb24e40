package dev.pipewright.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void the_normal_distribution_matches_the_table() {
        assertThat(Statistics.normalCdf(1.96)).isCloseTo(0.9750, within(1e-4));
        assertThat(Statistics.normalCdf(1.645)).isCloseTo(0.9500, within(1e-4));
        assertThat(Statistics.normalCdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(Statistics.upperTail(3.0)).isCloseTo(0.0013499, within(1e-6));
        assertThat(Statistics.upperTail(-1.0)).isCloseTo(0.8413447, within(1e-6));
    }

    @Test
    void log_gamma_gives_factorials() {
        assertThat(Math.exp(Statistics.logGamma(6))).isCloseTo(120, within(1e-9));
        assertThat(Statistics.logGamma(0.5)).isCloseTo(Math.log(Math.sqrt(Math.PI)), within(1e-12));
        assertThat(Math.exp(Statistics.logChoose(10, 3))).isCloseTo(120, within(1e-9));
    }

    @Test
    void fisher_exact_test_reproduces_the_lady_tasting_tea() {
        // Fisher's experiment: 3 of 4 cups guessed right, 1 of 4 wrong; one-sided p = 17/70.
        assertThat(Statistics.fisherGreater(1, 4, 3, 4)).isCloseTo(17.0 / 70, within(1e-12));
        // All four right: p = 1/70.
        assertThat(Statistics.fisherGreater(0, 4, 4, 4)).isCloseTo(1.0 / 70, within(1e-12));
    }

    @Test
    void the_binomial_tail_matches_exact_sums() {
        // P(X >= 8), X ~ Bin(10, 0.5) = (45 + 10 + 1) / 1024
        assertThat(Statistics.binomialAtLeast(8, 10, 0.5)).isCloseTo(56.0 / 1024, within(1e-12));
        assertThat(Statistics.binomialAtLeast(0, 10, 0.05)).isEqualTo(1);
        assertThat(Statistics.binomialAtLeast(11, 10, 0.05)).isEqualTo(0);
        // P(X >= 1), X ~ Bin(20, 0.05) = 1 - 0.95^20
        assertThat(Statistics.binomialAtLeast(1, 20, 0.05)).isCloseTo(1 - Math.pow(0.95, 20), within(1e-12));
    }

    @Test
    void the_two_proportion_z_statistic_is_the_unpooled_wald_statistic() {
        // 30/200 against 20/200: (0.15 - 0.10) / sqrt(0.1·0.9/200 + 0.15·0.85/200) = 0.05 / 0.032977 = 1.5162
        double z = Statistics.twoProportionZ(20, 200, 30, 200, 0);
        assertThat(z).isCloseTo(1.5162, within(1e-4));
        // a margin moves the hypothesis: the same data are less convincing against a 2-point margin
        assertThat(Statistics.twoProportionZ(20, 200, 30, 200, 0.02)).isCloseTo(0.9097, within(1e-4));
    }

    @Test
    void welch_z_compares_means_against_a_scaled_baseline() {
        double[] baseline = {1, 2, 3, 4, 5};
        double[] candidate = {3, 4, 5, 6, 7};
        // (5 - 3) / sqrt(2.5/5 + 2.5/5) = 2
        assertThat(Statistics.welchZ(baseline, candidate, 1, 0)).isCloseTo(2.0, within(1e-12));
        // against 1.5 × the baseline mean: (5 - 4.5) / sqrt(0.5 + 2.25·0.5)
        assertThat(Statistics.welchZ(baseline, candidate, 1.5, 0))
                .isCloseTo(0.5 / Math.sqrt(0.5 + 1.125), within(1e-12));
    }

    @Test
    void nearest_rank_percentiles() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertThat(Statistics.percentile(values, 0.95)).isEqualTo(95);
        assertThat(Statistics.percentile(new double[] {7}, 0.95)).isEqualTo(7);
        assertThat(Statistics.variance(new double[] {2, 4, 4, 4, 5, 5, 7, 9})).isCloseTo(32.0 / 7, within(1e-12));
    }
}
