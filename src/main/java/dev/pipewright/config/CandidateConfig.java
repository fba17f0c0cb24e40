package dev.pipewright.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One candidate version of a deployed pipeline: its full definition, and either a fixed share of the traffic in
 * percent ({@code weight}, an A/B test) or a canary schedule that grows the share step by step. A candidate with
 * neither takes no live traffic (it may still be shadowed, evaluated or replayed).
 */
public record CandidateConfig(String name, PipelineConfig pipeline, double weight, Optional<CanaryConfig> canary) {
    public CandidateConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(canary, "canary");
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("weight must be between 0 and 100 percent, but was " + weight);
        }
        if (weight > 0 && canary.isPresent()) {
            throw new IllegalArgumentException(
                    "weight and canary exclude each other: a canary sets the weight by its steps");
        }
    }
}
