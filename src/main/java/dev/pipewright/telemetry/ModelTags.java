package dev.pipewright.telemetry;

import dev.pipewright.config.ModelConfig;
import io.micrometer.core.instrument.Tags;

/** The tags every model meter shares: the model alias of the configuration and the provider that serves it. */
final class ModelTags {
    private ModelTags() {}

    static Tags of(ModelConfig model) {
        return of(model.provider(), model.alias());
    }

    static Tags of(String provider, String alias) {
        return Tags.of("provider", provider, "model", alias);
    }
}
