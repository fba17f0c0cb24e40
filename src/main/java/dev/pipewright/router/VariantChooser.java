package dev.pipewright.router;

import dev.pipewright.config.PipelineConfig;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the variant of a deployed pipeline that serves a request: A/B and canary shares, sticky by a key so one caller
 * sees one variant. Implementations are thread safe and answer from memory, without waiting on a database.
 */
@FunctionalInterface
public interface VariantChooser {
    /** Every pipeline served by its one version. */
    VariantChooser ONLY_STABLE = (stable, tenant, headers) -> Variant.only(stable);

    /**
     * @param stable the pipeline as the {@code pipelines} section defines it
     * @param tenant the caller's tenant
     * @param headers the request's header values by lower-case name
     */
    Variant choose(PipelineConfig stable, String tenant, Function<String, Optional<String>> headers);
}
