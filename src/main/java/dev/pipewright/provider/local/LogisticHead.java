package dev.pipewright.provider.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Json;
import dev.pipewright.provider.local.internal.LogisticHeadFile;
import dev.pipewright.provider.local.internal.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * A multinomial logistic-regression layer over sentence embeddings: one weight row and one bias per label, a softmax
 * over the scores. Trained by {@link ClassifierTrainer}, kept as a small JSON file. Immutable and thread safe.
 */
public final class LogisticHead {
    private static final ObjectMapper JSON = Json.mapper();

    private final List<String> labels;
    private final double[][] weights;
    private final double[] bias;

    /**
     * @param weights one row per label, every row as long as the embeddings it will score
     * @throws IllegalArgumentException when the shapes do not match or the labels repeat
     */
    public LogisticHead(List<String> labels, double[][] weights, double[] bias) {
        this.labels = List.copyOf(labels);
        if (this.labels.size() < 2 || new HashSet<>(this.labels).size() != this.labels.size()) {
            throw new IllegalArgumentException("a head needs at least two distinct labels, but had " + labels);
        }
        if (weights.length != this.labels.size() || bias.length != this.labels.size()) {
            throw new IllegalArgumentException("a head needs one weight row and one bias per label: "
                    + this.labels.size() + " labels, " + weights.length + " rows, " + bias.length + " biases");
        }
        this.weights = new double[weights.length][];
        for (int k = 0; k < weights.length; k++) {
            if (weights[k].length == 0 || weights[k].length != weights[0].length) {
                throw new IllegalArgumentException("weight row " + k + " has " + weights[k].length
                        + " columns, but row 0 has " + weights[0].length);
            }
            this.weights[k] = weights[k].clone();
        }
        this.bias = bias.clone();
    }

    public List<String> labels() {
        return labels;
    }

    /** The length of the embeddings this head scores. */
    public int dimensions() {
        return weights[0].length;
    }

    /** The probability of each label, in {@link #labels()} order. */
    public double[] probabilities(float[] embedding) {
        if (embedding.length != dimensions()) {
            throw new IllegalArgumentException(
                    "this head scores " + dimensions() + "-dimensional embeddings, but got " + embedding.length);
        }
        return probabilities(weights, bias, embedding);
    }

    /** Softmax of {@code weights · x + bias}; shared with the trainer so training and use score alike. */
    static double[] probabilities(double[][] weights, double[] bias, float[] x) {
        double[] scores = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            scores[k] = bias[k] + dot(weights[k], x);
        }
        return Vectors.softmax(scores, 1.0);
    }

    private static double dot(double[] row, float[] x) {
        double sum = 0;
        for (int d = 0; d < x.length; d++) {
            sum += row[d] * x[d];
        }
        return sum;
    }

    /** The most probable label and its probability. */
    public Classification classify(float[] embedding) {
        double[] probabilities = probabilities(embedding);
        int best = Vectors.argmax(probabilities);
        return new Classification(labels.get(best), probabilities[best]);
    }

    /** Writes this head to {@code file} as JSON, replacing what was there. */
    public void save(Path file) throws IOException {
        byte[] json = JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new LogisticHeadFile(LogisticHeadFile.FORMAT, labels, weights, bias));
        Files.write(file, json);
    }

    /**
     * Reads a head that {@link #save} wrote.
     *
     * @throws IllegalArgumentException when the file is not such a head; the message names the file
     */
    public static LogisticHead load(Path file) throws IOException {
        LogisticHeadFile saved = JSON.readValue(file.toFile(), LogisticHeadFile.class);
        if (!LogisticHeadFile.FORMAT.equals(saved.format())) {
            throw new IllegalArgumentException(
                    file + " is not a " + LogisticHeadFile.FORMAT + " file; its format was '" + saved.format() + "'");
        }
        try {
            return new LogisticHead(saved.labels(), saved.weights(), saved.bias());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(file + " holds a malformed head: " + e.getMessage(), e);
        }
    }
}
