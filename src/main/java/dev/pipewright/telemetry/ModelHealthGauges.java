package dev.pipewright.telemetry;

import dev.pipewright.config.ModelConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Function;

/**
 * Per model alias: {@code pipewright.model.available} (1 while the model takes calls, 0 while its circuit is open)
 * and {@code pipewright.model.circuit.state} (0 closed, 1 half open, 2 open). The circuit state comes from a
 * function of the alias that returns {@code CLOSED}, {@code HALF_OPEN} or {@code OPEN}, supplied by the composition
 * root, so that telemetry does not depend on the resilience package. Both are read at scrape time.
 */
public final class ModelHealthGauges {
    private ModelHealthGauges() {}

    /** Registers both gauges for every model; registering a model again keeps the existing gauges. */
    public static void register(
            MeterRegistry registry, Collection<ModelConfig> models, Function<String, String> circuitState) {
        for (ModelConfig model : models) {
            String alias = model.alias();
            Gauge.builder("pipewright.model.available", () -> stateValue(circuitState.apply(alias)) == 2 ? 0 : 1)
                    .description("1 while the model takes calls, 0 while its circuit is open")
                    .tags(ModelTags.of(model))
                    .register(registry);
            Gauge.builder("pipewright.model.circuit.state", () -> stateValue(circuitState.apply(alias)))
                    .description("The state of the model's circuit: 0 closed, 1 half open, 2 open")
                    .tags(ModelTags.of(model))
                    .register(registry);
        }
    }

    static int stateValue(String state) {
        return switch (state.toUpperCase(Locale.ROOT)) {
            case "CLOSED" -> 0;
            case "HALF_OPEN" -> 1;
            case "OPEN" -> 2;
            default ->
                throw new IllegalArgumentException(
                        "a circuit state is CLOSED, HALF_OPEN or OPEN, but was '" + state + "'");
        };
    }
}
