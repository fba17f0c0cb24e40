package dev.pipewright.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingDimensionsTest {

    @Test
    void cuts_a_vector_to_its_prefix_and_scales_it_to_unit_length() {
        // when
        List<float[]> shortened = EmbeddingDimensions.shorten(List.of(new float[] {3, 4, 12}), 2, "embedder");

        // then
        assertThat(shortened.getFirst()[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(shortened.getFirst()[1]).isCloseTo(0.8f, within(1e-6f));
    }

    @Test
    void keeps_a_vector_of_the_asked_length_as_it_is() {
        // given
        float[] vector = {0.5f, 0.5f};

        // when
        List<float[]> kept = EmbeddingDimensions.shorten(List.of(vector), 2, "embedder");

        // then
        assertThat(kept.getFirst()).isSameAs(vector);
    }

    @Test
    void refuses_to_lengthen_a_vector() {
        // when / then
        assertThatThrownBy(() -> EmbeddingDimensions.shorten(List.of(new float[] {1, 0}), 3, "embedder"))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.error().param()).hasValue("dimensions"))
                .hasMessageContaining("2-dimensional");
    }
}
