package dev.pipewright.model;

import java.util.ArrayList;
import java.util.List;

/** The attempts of one call in the order they ended. Thread safe: hedged or cancelled attempts may end concurrently. */
public final class AttemptLog {
    private final List<Attempt> attempts = new ArrayList<>();

    public synchronized void record(Attempt attempt) {
        attempts.add(attempt);
    }

    public synchronized List<Attempt> snapshot() {
        return List.copyOf(attempts);
    }
}
