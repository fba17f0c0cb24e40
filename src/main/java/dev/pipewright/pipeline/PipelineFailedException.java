package dev.pipewright.pipeline;

import dev.pipewright.model.ModelError;
import java.util.Objects;

/**
 * A run that failed: a step that is not optional failed, or the deadline passed while such a step was unfinished.
 * Every other step was cancelled; {@link #partial()} holds the steps that had ended by then.
 */
public final class PipelineFailedException extends RuntimeException {
    private final PipelineResult partial;
    private final String step;
    private final ModelError error;

    public PipelineFailedException(PipelineResult partial, String step, ModelError error, Throwable cause) {
        super(
                "pipeline '" + partial.pipeline() + "' failed at step '" + step + "': " + error.kind() + ": "
                        + error.message(),
                cause);
        this.partial = partial;
        this.step = Objects.requireNonNull(step, "step");
        this.error = error;
    }

    public PipelineResult partial() {
        return partial;
    }

    public String step() {
        return step;
    }

    public ModelError error() {
        return error;
    }

    /** Whether the run ran out of time rather than meeting a failing model. */
    public boolean deadlineExceeded() {
        return error instanceof ModelError.DeadlineExceeded;
    }
}
