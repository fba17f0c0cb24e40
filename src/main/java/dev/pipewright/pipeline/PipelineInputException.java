package dev.pipewright.pipeline;

import java.util.List;

/**
 * The request's input lacks values that steps which always run need: a client error, raised before any model is
 * called. {@link #paths()} are the missing paths, such as {@code input.text}.
 */
public final class PipelineInputException extends IllegalArgumentException {
    private final List<String> paths;

    public PipelineInputException(String pipeline, List<String> paths) {
        super("pipeline '" + pipeline + "' needs " + String.join(", ", paths) + " in its input");
        this.paths = List.copyOf(paths);
    }

    public List<String> paths() {
        return paths;
    }
}
