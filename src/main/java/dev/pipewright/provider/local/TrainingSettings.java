package dev.pipewright.provider.local;

/**
 * How {@link ClassifierTrainer} fits a {@link LogisticHead}: full-batch gradient descent on the mean cross-entropy
 * plus {@code l2} times half the squared weights. The seed fixes the initial weights, so equal data and settings give
 * an equal head.
 */
public record TrainingSettings(int epochs, double learningRate, double l2, long seed) {
    public TrainingSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, but was " + epochs);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be greater than 0, but was " + learningRate);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be 0 or more, but was " + l2);
        }
    }

    /**
     * 300 epochs at learning rate 2 with L2 1e-4 and seed 42: enough for unit-length MiniLM embeddings, whose
     * gradients are small, to separate a few hundred examples in well under a second.
     */
    public static TrainingSettings defaults() {
        return new TrainingSettings(300, 2.0, 1e-4, 42);
    }
}
