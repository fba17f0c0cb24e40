package dev.pipewright.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LocalClassifierTest {
    private static final LocalEmbedder EMBEDDER = new LocalEmbedder();
    private static final LocalClassifier ZERO_SHOT =
            new LocalClassifier(EMBEDDER, ClassifierSettings.defaults(), Optional.empty());

    static Stream<Arguments> clearTexts() {
        return Stream.of(
                Arguments.of(
                        "The Kubernetes pod kept restarting because the container's liveness probe failed after the"
                                + " deployment rolled out a new image.",
                        "technical"),
                Arguments.of(
                        "The Licensee shall indemnify and hold harmless the Licensor against all claims arising from"
                                + " any breach of this Agreement, and this clause survives termination.",
                        "legal"),
                Arguments.of(
                        "Quarterly revenue grew 12% as the sales team closed larger enterprise deals, and management"
                                + " raised its profit forecast.",
                        "business"),
                Arguments.of(
                        "Moonlight spilled over the silent hills while she wrote a poem about a sea she had never"
                                + " seen.",
                        "creative"));
    }

    @ParameterizedTest
    @MethodSource("clearTexts")
    void picks_the_label_whose_description_fits_a_clear_text(String text, String label) {
        // when
        Classification classification = ZERO_SHOT.classify(text);

        // then
        assertThat(classification.label()).isEqualTo(label);
        assertThat(classification.confidence()).isGreaterThan(0.25).isLessThanOrEqualTo(1.0);
    }

    @Test
    void a_lower_temperature_makes_the_same_choice_more_confidently() {
        // given
        String text = "Refactor the HTTP client so connection pools are reused across requests.";
        LocalClassifier warm = new LocalClassifier(
                EMBEDDER,
                new ClassifierSettings(ClassifierSettings.defaults().labelDescriptions(), 1.0),
                Optional.empty());

        // when
        Classification sharp = ZERO_SHOT.classify(text);
        Classification flat = warm.classify(text);

        // then
        assertThat(flat.label()).isEqualTo(sharp.label());
        assertThat(sharp.confidence()).isGreaterThan(flat.confidence());
        assertThat(flat.confidence()).isLessThan(0.5);
    }

    @Test
    void uses_the_trained_head_instead_of_the_descriptions_when_given_one() {
        // given: a head that answers "yes" for every embedding, whatever the descriptions say
        double[][] weights = new double[2][LocalEmbedder.DIMENSIONS];
        LogisticHead alwaysYes = new LogisticHead(List.of("yes", "no"), weights, new double[] {5, -5});
        LocalClassifier classifier =
                new LocalClassifier(EMBEDDER, ClassifierSettings.defaults(), Optional.of(alwaysYes));

        // when
        Classification classification = classifier.classify("The Kubernetes pod kept restarting.");

        // then
        assertThat(classifier.labels()).containsExactly("yes", "no");
        assertThat(classification.label()).isEqualTo("yes");
        assertThat(classification.confidence()).isGreaterThan(0.99);
    }

    @Test
    void refuses_a_head_for_embeddings_of_another_size() {
        // given
        LogisticHead tooSmall = new LogisticHead(List.of("a", "b"), new double[2][8], new double[2]);

        // then
        assertThatThrownBy(() -> new LocalClassifier(EMBEDDER, ClassifierSettings.defaults(), Optional.of(tooSmall)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8-dimensional");
    }

    @Test
    void settings_reject_fewer_than_two_labels_and_a_non_positive_temperature() {
        assertThatThrownBy(() -> new ClassifierSettings(Map.of("only", "one label"), 0.05))
                .hasMessageContaining("at least two labels");
        Map<String, String> two = new LinkedHashMap<>(Map.of("a", "first", "b", "second"));
        assertThatThrownBy(() -> new ClassifierSettings(two, 0)).hasMessageContaining("temperature");
        two.put("c", " ");
        assertThatThrownBy(() -> new ClassifierSettings(two, 0.05)).hasMessageContaining("label 'c'");
    }
}
