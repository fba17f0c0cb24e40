package dev.pipewright.release;

import dev.pipewright.config.CandidateConfig;
import dev.pipewright.config.DeploymentConfig;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.router.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds a version of a pipeline by what an operator types: {@code stable}, a candidate's name, or a version hash. */
public final class ReleaseVariants {
    private ReleaseVariants() {}

    public static Optional<Variant> find(PipewrightConfig config, String pipeline, String nameOrVersion) {
        return all(config, pipeline).stream()
                .filter(variant -> variant.name().equals(nameOrVersion)
                        || version(config, variant).equals(nameOrVersion))
                .findFirst();
    }

    /** The stable version, then every candidate of the pipeline's deployment. */
    public static List<Variant> all(PipewrightConfig config, String pipeline) {
        List<Variant> variants = new ArrayList<>();
        PipelineConfig stable = config.pipelines().get(pipeline);
        if (stable == null) {
            return variants;
        }
        variants.add(new Variant(Variant.STABLE, stable));
        DeploymentConfig deployment = config.deployments().get(pipeline);
        if (deployment != null) {
            for (CandidateConfig candidate : deployment.candidates().values()) {
                variants.add(new Variant(candidate.name(), candidate.pipeline()));
            }
        }
        return variants;
    }

    public static String version(PipewrightConfig config, Variant variant) {
        return PipelineVersion.of(variant.pipeline(), config::model);
    }
}
