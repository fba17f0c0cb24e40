package dev.pipewright.provider.local;

/** One training example: a text and the label it should get. */
public record LabelledText(String text, String label) {
    public LabelledText {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a training example needs text, but was '" + text + "'");
        }
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a training example needs a label, but was '" + label + "'");
        }
    }
}
