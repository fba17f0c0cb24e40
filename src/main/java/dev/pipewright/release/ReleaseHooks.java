package dev.pipewright.release;

import dev.pipewright.config.PipelineConfig;
import dev.pipewright.router.Variant;
import dev.pipewright.router.VariantChooser;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the gateway asks of releases on every pipeline run: which variant serves it ({@link VariantChooser}), and,
 * once the answer is sent, what happened ({@link #served}), for canary analysis, per-variant metrics, shadow copies
 * and recording. {@link #served} never blocks on a database or a shadow run.
 */
public interface ReleaseHooks extends VariantChooser {
    ReleaseHooks NONE = new ReleaseHooks() {
        @Override
        public Variant choose(PipelineConfig stable, String tenant, Function<String, Optional<String>> headers) {
            return VariantChooser.ONLY_STABLE.choose(stable, tenant, headers);
        }

        @Override
        public void served(ServedRun run) {}
    };

    void served(ServedRun run);
}
