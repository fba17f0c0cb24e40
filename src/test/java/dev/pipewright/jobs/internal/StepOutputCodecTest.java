package dev.pipewright.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.pipeline.StepOutput;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StepOutputCodecTest {

    static Stream<StepOutput> outputs() {
        return Stream.of(
                new StepOutput.Text(""),
                new StepOutput.Text("technical; ünïcode ✓\nline two"),
                new StepOutput.Vectors(List.of()),
                new StepOutput.Vectors(List.of(new float[0])),
                new StepOutput.Vectors(List.of(new float[] {Float.NaN, -0f, Float.MAX_VALUE, 1e-38f})),
                new StepOutput.Vectors(List.of(new float[] {1f, 2f}, new float[] {3f}, new float[] {0.5f, -0.5f})));
    }

    @ParameterizedTest
    @MethodSource("outputs")
    void an_output_reads_back_exactly_as_it_was_written(StepOutput output) {
        // when
        StepOutput decoded = StepOutputCodec.decode(StepOutputCodec.kind(output), StepOutputCodec.encode(output));

        // then
        assertThat(decoded).isEqualTo(output);
    }

    @Test
    void a_384_dimension_vector_takes_a_third_more_than_its_bytes() {
        // given
        float[] vector = new float[384];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) Math.sin(i);
        }

        // when
        String encoded = StepOutputCodec.encode(new StepOutput.Vectors(List.of(vector)));

        // then
        assertThat(encoded).hasSize(4 * ((384 * 4 + 2) / 3) + 1);
    }

    @Test
    void an_unknown_kind_is_named() {
        assertThatThrownBy(() -> StepOutputCodec.decode("image", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'image'");
    }
}
