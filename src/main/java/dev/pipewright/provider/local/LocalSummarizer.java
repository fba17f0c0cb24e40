package dev.pipewright.provider.local;

import dev.pipewright.provider.local.internal.SentenceSplitter;
import dev.pipewright.provider.local.internal.Vectors;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Extractive summaries: the text's most central sentences, in their original order. Centrality is the cosine
 * similarity of a sentence's embedding to the centroid of all sentence embeddings, so sentences about what most of
 * the text is about win over asides. All sentences are embedded in one batch. Thread safe.
 */
public final class LocalSummarizer {
    private final LocalEmbedder embedder;
    private final int sentences;

    /** @param sentences how many sentences a summary keeps, at least 1 */
    public LocalSummarizer(LocalEmbedder embedder, int sentences) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (sentences < 1) {
            throw new IllegalArgumentException("a summary needs at least 1 sentence, but was " + sentences);
        }
        this.sentences = sentences;
    }

    /**
     * The summary of {@code text}: the text's own sentences joined by a space; all of them when there are no more
     * than the configured number.
     *
     * @throws IllegalArgumentException when {@code text} is blank
     */
    public String summarize(String text) {
        List<String> all = SentenceSplitter.split(text);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("there is no text to summarise");
        }
        if (all.size() <= sentences) {
            return String.join(" ", all);
        }
        List<float[]> vectors = embedder.embed(all).vectors();
        float[] centroid = Vectors.mean(vectors);
        double[] centrality =
                vectors.stream().mapToDouble(v -> Vectors.cosine(v, centroid)).toArray();
        return IntStream.range(0, all.size())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -centrality[i])
                        .thenComparing(i -> i))
                .limit(sentences)
                .sorted()
                .map(all::get)
                .reduce((a, b) -> a + " " + b)
                .orElseThrow();
    }
}
