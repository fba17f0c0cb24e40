package dev.pipewright.provider.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link LogisticHead} from labelled texts: embeds them with the {@link LocalEmbedder} and fits a
 * multinomial logistic regression by full-batch gradient descent (see {@link TrainingSettings}). Deterministic: the
 * same file and settings give the same head.
 */
public final class ClassifierTrainer {
    private static final ObjectMapper JSON = Json.mapper();
    private static final int EMBEDDING_BATCH = 64;

    private ClassifierTrainer() {}

    /** Trains with {@link TrainingSettings#defaults()}. */
    public static LogisticHead train(Path jsonl, LocalEmbedder embedder) throws IOException {
        return train(jsonl, embedder, TrainingSettings.defaults());
    }

    /**
     * Trains on a JSON Lines file with one {@code {"text": ..., "label": ...}} object per line; blank lines are
     * skipped.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed example, or when fewer than two
     *     labels occur
     */
    public static LogisticHead train(Path jsonl, LocalEmbedder embedder, TrainingSettings settings) throws IOException {
        List<LabelledText> examples = read(jsonl);
        List<float[]> features = new ArrayList<>(examples.size());
        for (int from = 0; from < examples.size(); from += EMBEDDING_BATCH) {
            List<String> texts = examples.subList(from, Math.min(from + EMBEDDING_BATCH, examples.size())).stream()
                    .map(LabelledText::text)
                    .toList();
            features.addAll(embedder.embed(texts).vectors());
        }
        return fit(features, examples.stream().map(LabelledText::label).toList(), settings);
    }

    /** The examples of a JSON Lines training file, in file order. */
    public static List<LabelledText> read(Path jsonl) throws IOException {
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        List<LabelledText> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                examples.add(parse(lines.get(i), jsonl + ":" + (i + 1)));
            }
        }
        return examples;
    }

    private static LabelledText parse(String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.path("text").isTextual() || !node.path("label").isTextual()) {
            throw new IllegalArgumentException(where + ": needs string fields \"text\" and \"label\", but was " + line);
        }
        try {
            return new LabelledText(node.get("text").asText(), node.get("label").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Fits a head to {@code features[i]} labelled {@code labels[i]}; labels are ordered by first appearance. */
    public static LogisticHead fit(List<float[]> features, List<String> labels, TrainingSettings settings) {
        if (features.size() != labels.size() || features.isEmpty()) {
            throw new IllegalArgumentException("need one label per example and some examples, but got "
                    + features.size() + " examples and " + labels.size() + " labels");
        }
        List<String> classes = List.copyOf(new LinkedHashSet<>(labels));
        if (classes.size() < 2) {
            throw new IllegalArgumentException("training needs at least two labels, but found " + classes);
        }
        int[] targets = labels.stream().mapToInt(classes::indexOf).toArray();
        double[][] weights = initialWeights(classes.size(), features.getFirst().length, settings.seed());
        double[] bias = new double[classes.size()];
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            step(features, targets, weights, bias, settings);
        }
        return new LogisticHead(classes, weights, bias);
    }

    private static double[][] initialWeights(int classes, int dimensions, long seed) {
        Random random = new Random(seed);
        double[][] weights = new double[classes][dimensions];
        for (double[] row : weights) {
            for (int d = 0; d < dimensions; d++) {
                row[d] = random.nextGaussian() * 0.01;
            }
        }
        return weights;
    }

    /** One gradient-descent step on mean cross-entropy plus the L2 penalty (the bias is not penalised). */
    private static void step(
            List<float[]> features, int[] targets, double[][] weights, double[] bias, TrainingSettings settings) {
        int classes = weights.length;
        int dimensions = weights[0].length;
        double[][] gradient = new double[classes][dimensions];
        double[] biasGradient = new double[classes];
        double scale = 1.0 / features.size();
        for (int i = 0; i < features.size(); i++) {
            float[] x = features.get(i);
            double[] error = LogisticHead.probabilities(weights, bias, x);
            error[targets[i]] -= 1;
            for (int k = 0; k < classes; k++) {
                biasGradient[k] += error[k] * scale;
                for (int d = 0; d < dimensions; d++) {
                    gradient[k][d] += error[k] * x[d] * scale;
                }
            }
        }
        for (int k = 0; k < classes; k++) {
            bias[k] -= settings.learningRate() * biasGradient[k];
            for (int d = 0; d < dimensions; d++) {
                weights[k][d] -= settings.learningRate() * (gradient[k][d] + settings.l2() * weights[k][d]);
            }
        }
    }
}
