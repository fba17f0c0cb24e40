package dev.pipewright.telemetry;

/**
 * Hooks of the pipeline executor for metrics and traces. The executor calls {@link #runStarted} on the thread that
 * runs the pipeline, {@link Run#stepStarted} and {@link Step#ended} on the thread of the step, and
 * {@link Run#ended} on the first thread again. Implementations are thread safe; {@link #NONE} observes nothing.
 */
public interface PipelineObserver {
    PipelineObserver NONE = (pipeline, tenant, requestId) -> Run.NONE;

    Run runStarted(String pipeline, String tenant, String requestId);

    /** One run of a pipeline. */
    interface Run {
        Run NONE = new Run() {
            @Override
            public Step stepStarted(String step, String model) {
                return Step.NONE;
            }

            @Override
            public void ended(String outcome) {}
        };

        /** A step about to call {@code model} (an alias). */
        Step stepStarted(String step, String model);

        /** The run ended: {@code succeeded}, {@code degraded}, {@code failed} or {@code invalid_input}. */
        void ended(String outcome);
    }

    /** One step of a run. */
    @FunctionalInterface
    interface Step {
        Step NONE = outcome -> {};

        /** The step ended with a status such as {@code succeeded}, {@code skipped}, {@code degraded} or {@code failed}. */
        void ended(String outcome);
    }
}
