package dev.pipewright.model;

/** A failed model attempt, carrying the classified {@link ModelError}. */
public class ModelException extends RuntimeException {
    private final ModelError error;

    public ModelException(ModelError error) {
        this(error, null);
    }

    public ModelException(ModelError error, Throwable cause) {
        super(error.kind() + ": " + error.message(), cause);
        this.error = error;
    }

    public ModelError error() {
        return error;
    }
}
