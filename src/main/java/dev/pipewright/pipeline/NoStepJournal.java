package dev.pipewright.pipeline;

import java.util.Optional;

/** The journal of {@link StepJournal#none()}: remembers nothing. */
enum NoStepJournal implements StepJournal {
    INSTANCE;

    @Override
    public Optional<StepOutput> completed(String step) {
        return Optional.empty();
    }

    @Override
    public void record(String step, StepOutput output) {}
}
