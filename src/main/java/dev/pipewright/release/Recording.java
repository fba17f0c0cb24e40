package dev.pipewright.release;

import java.time.Instant;
import java.util.Optional;

/** A live request kept for replay: its input, and its results (JSON text) unless it failed. */
public record Recording(
        String deployment,
        Instant at,
        String requestId,
        String tenant,
        String variant,
        String version,
        String input,
        Optional<String> output,
        boolean failed,
        long latencyMs,
        double costUsd) {}
