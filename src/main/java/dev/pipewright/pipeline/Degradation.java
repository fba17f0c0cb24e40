package dev.pipewright.pipeline;

import java.util.Objects;

/** A step the run went on without, and why: an optional step's error, or the degraded step it needed. */
public record Degradation(String step, String reason) {
    public Degradation {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(reason, "reason");
    }
}
