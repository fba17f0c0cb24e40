package dev.pipewright.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a requested model name sends a call: {@code alias} first (with its own configured fallbacks, which the
 * {@code ModelCall} chain applies), then, when that whole chain failed with an error another model may not repeat,
 * each of {@code alternatives} in order. Alternatives are the other available members of a group, in the group's
 * order of preference, without the chosen member's own fallbacks (already tried); a plain alias has none.
 */
public record Route(String alias, List<String> alternatives) {
    public Route {
        Objects.requireNonNull(alias, "alias");
        alternatives = List.copyOf(alternatives);
        if (alternatives.contains(alias)) {
            throw new IllegalArgumentException("alternatives " + alternatives + " repeat the chosen alias " + alias);
        }
    }

    /** The chosen alias, then the alternatives: the order in which to try them. */
    public List<String> candidates() {
        if (alternatives.isEmpty()) {
            return List.of(alias);
        }
        List<String> candidates = new ArrayList<>(alternatives.size() + 1);
        candidates.add(alias);
        candidates.addAll(alternatives);
        return List.copyOf(candidates);
    }
}
