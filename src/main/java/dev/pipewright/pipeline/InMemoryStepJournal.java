package dev.pipewright.pipeline;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A step journal for one run that lives as long as this object: for synchronous runs, tests and the CLI. */
public final class InMemoryStepJournal implements StepJournal {
    private final Map<String, StepOutput> entries = new ConcurrentHashMap<>();

    public InMemoryStepJournal() {}

    /** A journal that already holds {@code entries}, as if those steps had finished in an earlier attempt. */
    public InMemoryStepJournal(Map<String, StepOutput> entries) {
        this.entries.putAll(entries);
    }

    @Override
    public Optional<StepOutput> completed(String step) {
        return Optional.ofNullable(entries.get(step));
    }

    @Override
    public void record(String step, StepOutput output) {
        entries.put(Objects.requireNonNull(step, "step"), Objects.requireNonNull(output, "output"));
    }

    /** A snapshot of every recorded step. */
    public Map<String, StepOutput> entries() {
        return Map.copyOf(entries);
    }
}
