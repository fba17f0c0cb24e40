package dev.pipewright.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTrainerTest {
    private static final LocalEmbedder EMBEDDER = new LocalEmbedder();
    private static final List<LabelledText> EXAMPLES = List.of(
            new LabelledText("The striker scored twice in the second half.", "sport"),
            new LabelledText("The goalkeeper saved a penalty in extra time.", "sport"),
            new LabelledText("Our team won the league after a tense final match.", "sport"),
            new LabelledText("The tennis player served three aces in the opening set.", "sport"),
            new LabelledText("The marathon runner crossed the finish line in record time.", "sport"),
            new LabelledText("The coach praised the defenders after the victory.", "sport"),
            new LabelledText("Simmer the onions in butter until they turn golden.", "cooking"),
            new LabelledText("Knead the dough and let it rise for an hour before baking.", "cooking"),
            new LabelledText("Season the soup with salt, pepper and fresh thyme.", "cooking"),
            new LabelledText("Whisk the eggs with sugar, then fold in the flour.", "cooking"),
            new LabelledText("Roast the vegetables in a hot oven for thirty minutes.", "cooking"),
            new LabelledText("Add garlic to the pan and stir the sauce gently.", "cooking"));

    private static Path dataset;

    @BeforeAll
    static void writeDataset(@TempDir Path dir) throws IOException {
        dataset = dir.resolve("train.jsonl");
        StringBuilder jsonl = new StringBuilder();
        for (LabelledText example : EXAMPLES) {
            jsonl.append("{\"text\": \"%s\", \"label\": \"%s\"}\n".formatted(example.text(), example.label()));
        }
        jsonl.append("\n");
        Files.writeString(dataset, jsonl);
    }

    @Test
    void learns_a_small_separable_dataset() throws IOException {
        // when
        LogisticHead head = ClassifierTrainer.train(dataset, EMBEDDER);

        // then
        List<float[]> vectors = EMBEDDER.embed(
                        EXAMPLES.stream().map(LabelledText::text).toList())
                .vectors();
        long correct = 0;
        for (int i = 0; i < EXAMPLES.size(); i++) {
            if (head.classify(vectors.get(i)).label().equals(EXAMPLES.get(i).label())) {
                correct++;
            }
        }
        assertThat(head.labels()).containsExactly("sport", "cooking");
        assertThat((double) correct / EXAMPLES.size()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void the_head_classifies_unseen_texts_of_the_same_kinds() throws IOException {
        // given
        LogisticHead head = ClassifierTrainer.train(dataset, EMBEDDER);

        // when
        Classification sport = head.classify(EMBEDDER.embed("The referee showed a red card to the midfielder."));
        Classification cooking = head.classify(EMBEDDER.embed("Chop the carrots and fry them with cumin."));

        // then
        assertThat(sport.label()).isEqualTo("sport");
        assertThat(cooking.label()).isEqualTo("cooking");
    }

    @Test
    void trains_the_same_head_from_the_same_data_and_seed() throws IOException {
        // given
        float[] probe = EMBEDDER.embed("A quiet afternoon.");

        // when
        LogisticHead first = ClassifierTrainer.train(dataset, EMBEDDER);
        LogisticHead second = ClassifierTrainer.train(dataset, EMBEDDER);

        // then
        assertThat(second.probabilities(probe)).containsExactly(first.probabilities(probe));
    }

    @Test
    void a_saved_head_loads_back_with_the_same_labels_and_scores(@TempDir Path dir) throws IOException {
        // given
        LogisticHead head = ClassifierTrainer.train(dataset, EMBEDDER);
        Path file = dir.resolve("head.json");
        float[] probe = EMBEDDER.embed("Grill the fish and squeeze lemon over it.");

        // when
        head.save(file);
        LogisticHead loaded = LogisticHead.load(file);

        // then
        assertThat(Files.readString(file)).contains("pipewright-logistic-head/1");
        assertThat(loaded.labels()).isEqualTo(head.labels());
        assertThat(loaded.dimensions()).isEqualTo(LocalEmbedder.DIMENSIONS);
        assertThat(loaded.probabilities(probe)).containsExactly(head.probabilities(probe));
    }

    @Test
    void refuses_a_file_that_is_not_a_head(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"format\": \"something-else\", \"labels\": [], \"weights\": [], \"bias\": []}");

        // then
        assertThatThrownBy(() -> LogisticHead.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("something-else");
    }

    @Test
    void names_the_line_of_a_malformed_example(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"text\": \"fine\", \"label\": \"a\"}\n{\"text\": \"no label\"}\n");

        // then
        assertThatThrownBy(() -> ClassifierTrainer.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.jsonl:2")
                .hasMessageContaining("\"label\"");
    }

    @Test
    void needs_at_least_two_labels() {
        // given
        List<float[]> features = List.of(new float[] {1, 0}, new float[] {0, 1});

        // then
        assertThatThrownBy(() -> ClassifierTrainer.fit(features, List.of("a", "a"), TrainingSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least two labels");
    }
}
