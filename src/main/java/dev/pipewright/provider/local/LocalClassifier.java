package dev.pipewright.provider.local;

import dev.pipewright.provider.local.internal.Vectors;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Classifies text over {@link LocalEmbedder} embeddings. With a trained {@link LogisticHead} the head decides; without
 * one it is zero-shot: the answer is the label whose description is most similar (cosine) to the text, and the
 * confidence is the softmax of the similarities at the settings' temperature. Label descriptions are embedded once,
 * on the first classification. Thread safe.
 */
public final class LocalClassifier {
    private final LocalEmbedder embedder;
    private final ClassifierSettings settings;
    private final Optional<LogisticHead> head;
    private final List<String> labels;
    private volatile List<float[]> labelVectors;

    public LocalClassifier(LocalEmbedder embedder, ClassifierSettings settings, Optional<LogisticHead> head) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.head = Objects.requireNonNull(head, "head");
        head.ifPresent(h -> {
            if (h.dimensions() != LocalEmbedder.DIMENSIONS) {
                throw new IllegalArgumentException("the classifier head scores " + h.dimensions()
                        + "-dimensional embeddings, but " + LocalEmbedder.MODEL_NAME + " makes "
                        + LocalEmbedder.DIMENSIONS);
            }
        });
        this.labels = head.map(LogisticHead::labels)
                .orElseGet(() -> List.copyOf(settings.labelDescriptions().keySet()));
    }

    /** The labels this classifier answers with: the head's when it has one, else the settings'. */
    public List<String> labels() {
        return labels;
    }

    /**
     * The label for {@code text}.
     *
     * @throws IllegalArgumentException when {@code text} is blank
     */
    public Classification classify(String text) {
        float[] embedding = embedder.embed(text);
        if (head.isPresent()) {
            return head.get().classify(embedding);
        }
        List<float[]> descriptions = labelVectors();
        double[] similarities = new double[descriptions.size()];
        for (int i = 0; i < similarities.length; i++) {
            similarities[i] = Vectors.cosine(embedding, descriptions.get(i));
        }
        double[] probabilities = Vectors.softmax(similarities, settings.temperature());
        int best = Vectors.argmax(probabilities);
        return new Classification(labels.get(best), probabilities[best]);
    }

    /** Embeds the descriptions at most a few times under a race, always with the same result, so no lock is needed. */
    private List<float[]> labelVectors() {
        List<float[]> vectors = labelVectors;
        if (vectors == null) {
            vectors = embedder.embed(List.copyOf(settings.labelDescriptions().values()))
                    .vectors();
            labelVectors = vectors;
        }
        return vectors;
    }
}
