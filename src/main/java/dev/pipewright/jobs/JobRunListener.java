package dev.pipewright.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.PipelineConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Told of every job attempt that ran its pipeline to a result or to a failure of the pipeline, as the gateway tells
 * releases of every run it serves: canary analysis, per-variant metrics, shadow copies and recording then see the
 * asynchronous runs too. An attempt that was cancelled, lost its lease, or was refused by a budget ran nothing to
 * judge a version by and is not told. Called on the attempt's thread after the run; it must not block.
 */
@FunctionalInterface
public interface JobRunListener {
    JobRunListener NONE = run -> {};

    void finished(Run run);

    /**
     * One attempt's run: the job's id, tenant and input, the variant that ran it ({@code stable}, a candidate's name,
     * or empty without a deployment) and that variant's pipeline and version; {@code results} is the results object of
     * a run that succeeded (degraded included), empty for one that failed.
     */
    record Run(
            String jobId,
            String tenant,
            JsonNode input,
            String variant,
            PipelineConfig pipeline,
            String version,
            Optional<JsonNode> results,
            Duration latency,
            BigDecimal costUsd) {
        public Run {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(variant, "variant");
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(results, "results");
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(costUsd, "costUsd");
        }
    }
}
