package dev.pipewright.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pipewright.provider.local.internal.Vectors;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalEmbedderTest {
    /** One instance for the class; the ONNX model behind it loads once per JVM on the first embedding. */
    private static final LocalEmbedder EMBEDDER = new LocalEmbedder();

    @Test
    void embeds_a_text_as_a_normalised_384_dimensional_vector() {
        // when
        float[] vector = EMBEDDER.embed("Pipewright runs model pipelines in production.");

        // then
        assertThat(vector).hasSize(LocalEmbedder.DIMENSIONS).hasSize(384);
        assertThat(Vectors.norm(vector)).isCloseTo(1.0, within(1e-3));
    }

    @Test
    void embeds_the_same_text_the_same_way_every_time() {
        // given
        String text = "A deterministic embedding is easy to cache.";

        // when
        float[] first = EMBEDDER.embed(text);
        float[] second = EMBEDDER.embed(text);

        // then
        assertThat(second).containsExactly(first);
    }

    @Test
    void places_similar_texts_closer_than_unrelated_ones() {
        // given
        float[] cat = EMBEDDER.embed("The cat sat on the mat.");
        float[] kitten = EMBEDDER.embed("A kitten was sitting on the rug.");
        float[] bonds = EMBEDDER.embed("Government bond yields rose after the central bank meeting.");

        // when
        double similar = Vectors.cosine(cat, kitten);
        double unrelated = Vectors.cosine(cat, bonds);

        // then
        assertThat(similar).isGreaterThan(unrelated + 0.2);
    }

    @Test
    void a_batch_of_32_gives_the_vectors_of_32_single_calls_in_input_order() {
        // given
        List<String> texts = IntStream.range(0, 32)
                .mapToObj(i -> "Sentence number " + i + " talks about topic " + (i % 5) + ".")
                .toList();

        // when
        Embeddings batch = EMBEDDER.embed(texts);

        // then
        assertThat(batch.vectors()).hasSize(32);
        for (int i = 0; i < texts.size(); i++) {
            float[] single = EMBEDDER.embed(texts.get(i));
            assertThat(batch.vectors().get(i)).containsExactly(single, within(1e-5f));
        }
    }

    @Test
    void counts_the_tokens_the_model_read() {
        // given
        List<String> texts = List.of("hello world", "embeddings are vectors");

        // when
        Embeddings embeddings = EMBEDDER.embed(texts);

        // then
        assertThat(EMBEDDER.countTokens("hello world")).isEqualTo(2);
        assertThat(EMBEDDER.countTokens("   ")).isZero();
        assertThat(embeddings.inputTokens())
                .isGreaterThanOrEqualTo(EMBEDDER.countTokens(texts.get(0)) + EMBEDDER.countTokens(texts.get(1)));
    }

    @Test
    void refuses_a_blank_input_naming_its_index() {
        assertThatThrownBy(() -> EMBEDDER.embed(List.of("fine", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 1 is blank");
    }
}
