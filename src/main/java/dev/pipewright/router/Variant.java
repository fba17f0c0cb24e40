package dev.pipewright.router;

import dev.pipewright.config.PipelineConfig;
import java.util.Objects;

/**
 * The definition that serves one run of a pipeline: {@code name} is {@code stable}, a candidate's name, or empty when
 * the pipeline has no deployment (it has only one version).
 */
public record Variant(String name, PipelineConfig pipeline) {
    public static final String STABLE = "stable";

    public Variant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pipeline, "pipeline");
    }

    /** The only version of a pipeline that has no deployment. */
    public static Variant only(PipelineConfig pipeline) {
        return new Variant("", pipeline);
    }

    public boolean isCandidate() {
        return !name.isEmpty() && !name.equals(STABLE);
    }
}
