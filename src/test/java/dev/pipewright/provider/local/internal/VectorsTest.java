package dev.pipewright.provider.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void softmax_sums_to_one_and_a_lower_temperature_sharpens_it() {
        // given
        double[] scores = {0.5, 0.4};

        // when
        double[] warm = Vectors.softmax(scores, 1.0);
        double[] cold = Vectors.softmax(scores, 0.05);

        // then
        assertThat(warm[0] + warm[1]).isCloseTo(1.0, within(1e-12));
        assertThat(cold[0] + cold[1]).isCloseTo(1.0, within(1e-12));
        assertThat(cold[0]).isGreaterThan(warm[0]).isCloseTo(Math.exp(2) / (Math.exp(2) + 1), within(1e-9));
    }

    @Test
    void softmax_does_not_overflow_on_large_scores() {
        // when
        double[] probabilities = Vectors.softmax(new double[] {1000, 999}, 0.01);

        // then
        assertThat(probabilities).doesNotContain(Double.NaN);
        assertThat(probabilities[0]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void cosine_is_one_for_parallel_minus_one_for_opposite_and_zero_for_a_zero_vector() {
        assertThat(Vectors.cosine(new float[] {1, 2}, new float[] {2, 4})).isCloseTo(1.0, within(1e-6));
        assertThat(Vectors.cosine(new float[] {1, 2}, new float[] {-1, -2})).isCloseTo(-1.0, within(1e-6));
        assertThat(Vectors.cosine(new float[] {1, 2}, new float[] {0, 0})).isZero();
    }

    @Test
    void mean_averages_element_wise() {
        assertThat(Vectors.mean(List.of(new float[] {1, 4}, new float[] {3, 0})))
                .containsExactly(2f, 2f);
    }

    @Test
    void argmax_picks_the_first_of_equal_maxima() {
        assertThat(Vectors.argmax(new double[] {0.1, 0.7, 0.7})).isEqualTo(1);
    }
}
