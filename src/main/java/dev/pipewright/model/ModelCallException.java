package dev.pipewright.model;

import java.util.List;

/** A call that failed after every attempt the policy allowed; {@link #error()} is the error that ended it. */
public final class ModelCallException extends ModelException {
    private final List<Attempt> attempts;

    public ModelCallException(ModelError error, List<Attempt> attempts, Throwable cause) {
        super(error, cause);
        this.attempts = List.copyOf(attempts);
    }

    public List<Attempt> attempts() {
        return attempts;
    }
}
