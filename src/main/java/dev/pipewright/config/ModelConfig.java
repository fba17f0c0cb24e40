package dev.pipewright.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model alias: the pinned provider model it stands for and the resilience policy of every call to it.
 * {@code fallbacks} are other aliases, tried in order when this one fails; {@code contextWindow} lets a
 * context-length failure skip to a fallback with a larger window; {@code stream} bounds the waits of a streamed answer.
 */
public record ModelConfig(
        String alias,
        String provider,
        String model,
        ModelType type,
        Optional<Price> price,
        Duration timeout,
        RetryPolicy retry,
        CircuitPolicy circuit,
        List<String> fallbacks,
        OptionalInt contextWindow,
        SimulationConfig simulation,
        StreamTimeouts stream) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public ModelConfig {
        fallbacks = List.copyOf(fallbacks);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
        }
    }

    /** The same model with other fallbacks. */
    public ModelConfig withFallbacks(List<String> fallbacks) {
        return new ModelConfig(
                alias,
                provider,
                model,
                type,
                price,
                timeout,
                retry,
                circuit,
                fallbacks,
                contextWindow,
                simulation,
                stream);
    }
}
