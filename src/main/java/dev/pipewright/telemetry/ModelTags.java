package dev.pipewright.telemetry;

import dev.pipewright.config.ModelConfig;
import io.micrometer.core.instrument.Tags;

/** The tags every model meter shares: the model alias of the configuration and the provider that serves it. */
final class ModelTags {
    private ModelTags() {}

    static Tags of(ModelConfig model) {
        return Tags.of("provider", model.provider(), "model", model.alias());
    }
}
