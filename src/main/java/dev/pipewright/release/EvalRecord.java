package dev.pipewright.release;

import java.time.Instant;

/** One stored evaluation of a version on a dataset: its mean score per scorer (JSON) and whether it passed. */
public record EvalRecord(
        String deployment,
        String variant,
        String version,
        Instant at,
        String dataset,
        int items,
        boolean passed,
        String scores) {}
