package dev.pipewright.pipeline;

import java.util.Optional;

/**
 * What the steps of one run already produced, so that a run taken up again (after a crash, or a replay from the dead
 * letter queue) never repeats a paid model call. The executor reads it once per step before the run starts and
 * records each succeeded step before any step that needs it starts. Implementations are thread safe: steps finish
 * concurrently.
 */
public interface StepJournal {

    /** The output {@code step} produced in an earlier attempt of this run, if it finished. */
    Optional<StepOutput> completed(String step);

    /** Remembers that {@code step} finished with {@code output}; returns only once the entry is kept. */
    void record(String step, StepOutput output);

    /** A journal that remembers nothing: every run starts from scratch. */
    static StepJournal none() {
        return NoStepJournal.INSTANCE;
    }
}
