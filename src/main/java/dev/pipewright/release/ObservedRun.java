package dev.pipewright.release;

import java.time.Instant;

/** A served run of one variant version, as stored for canary analysis. */
record ObservedRun(
        String deployment, String variant, String version, String requestId, Instant at, Observation observation) {}
