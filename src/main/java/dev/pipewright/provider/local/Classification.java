package dev.pipewright.provider.local;

/**
 * The label a classifier chose and how sure it is.
 *
 * @param confidence the probability it gave the label, in (0, 1]
 */
public record Classification(String label, double confidence) {
    public Classification {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a classification needs a label, but was '" + label + "'");
        }
        if (!(confidence > 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1], but was " + confidence);
        }
    }
}
