package dev.pipewright.provider.local;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The zero-shot classifier's labels, each with a sentence describing texts that carry it, and the softmax
 * temperature that turns cosine similarities into a confidence. Cosine similarities of MiniLM embeddings sit in a
 * narrow band (related texts about 0.3 to 0.7), so a small temperature such as the default 0.05 is needed for a
 * difference of 0.1 to read as a clear preference (e^2, about 88% for two labels).
 *
 * @param labelDescriptions label to description, in the order labels are reported; at least two
 * @param temperature greater than 0
 */
public record ClassifierSettings(Map<String, String> labelDescriptions, double temperature) {
    public static final double DEFAULT_TEMPERATURE = 0.05;

    public ClassifierSettings {
        if (labelDescriptions == null || labelDescriptions.size() < 2) {
            throw new IllegalArgumentException(
                    "labelDescriptions needs at least two labels, but was " + labelDescriptions);
        }
        labelDescriptions.forEach((label, description) -> {
            if (label == null || label.isBlank() || description == null || description.isBlank()) {
                throw new IllegalArgumentException("every label needs a name and a description, but label '" + label
                        + "' had '" + description + "'");
            }
        });
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be greater than 0, but was " + temperature);
        }
        labelDescriptions = Collections.unmodifiableMap(new LinkedHashMap<>(labelDescriptions));
    }

    /** The labels of the documented classification prompt: technical, business, creative and legal. */
    public static ClassifierSettings defaults() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(
                "technical",
                "Software and computer systems: code, servers, containers, clusters, cloud infrastructure, databases,"
                        + " networks, configuration, errors and debugging.");
        labels.put(
                "business",
                "Companies and markets: revenue, sales, customers, profit, finance, strategy, investors and"
                        + " management decisions.");
        labels.put(
                "creative",
                "Imaginative writing and art: stories, poems, fiction, music, painting, design and feelings.");
        labels.put(
                "legal",
                "Law and contracts: agreements, clauses, obligations, liability, regulations, courts and the rights"
                        + " of parties.");
        return new ClassifierSettings(labels, DEFAULT_TEMPERATURE);
    }
}
