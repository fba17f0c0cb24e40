package dev.pipewright.config;

/** One thing wrong with a config file: where ({@code models.classifier.timeout}) and what. */
public record ConfigProblem(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
