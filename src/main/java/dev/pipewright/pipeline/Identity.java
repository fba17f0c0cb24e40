package dev.pipewright.pipeline;

import dev.pipewright.config.PipelineConfig;
import java.util.Objects;

/**
 * A cache key that matches only the very same pipeline record, in O(1): the compiled plans and the versions of
 * pipelines are kept per record, which an immutable configuration never changes.
 */
record Identity(PipelineConfig pipeline) {
    Identity {
        Objects.requireNonNull(pipeline, "pipeline");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Identity that && that.pipeline == pipeline;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(pipeline);
    }
}
