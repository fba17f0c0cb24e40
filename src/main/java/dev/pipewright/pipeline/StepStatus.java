package dev.pipewright.pipeline;

import java.util.Locale;

/** How a step ended. */
public enum StepStatus {
    /** The model answered in this run. */
    SUCCEEDED,
    /** Not run: its {@code when} was false, or a step it needs was skipped or degraded. */
    SKIPPED,
    /** An optional step that failed or ran out of time; the run goes on without its output. */
    DEGRADED,
    /** A step whose failure failed the run. */
    FAILED,
    /** Finished in an earlier attempt of this run; its output was read from the step journal, not asked again. */
    FROM_JOURNAL;

    /** The name used in the public JSON contract. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
