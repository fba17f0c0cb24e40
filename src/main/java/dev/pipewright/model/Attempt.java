package dev.pipewright.model;

import java.time.Duration;
import java.util.Optional;

/**
 * One try of one model within a call: which model, its number among that model's tries (from 1), how long the call
 * waited before it (back-off or Retry-After), how long it took, and the error when it failed.
 */
public record Attempt(
        String model,
        String providerModel,
        int number,
        Duration waitedBefore,
        Duration latency,
        Optional<ModelError> error) {

    public boolean succeeded() {
        return error.isEmpty();
    }
}
