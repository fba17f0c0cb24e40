package dev.pipewright.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects the problems of one config file in the order they were found, each once. */
final class Problems {
    private final Set<ConfigProblem> found = new LinkedHashSet<>();

    void add(String path, String message) {
        found.add(new ConfigProblem(path, message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<ConfigProblem> all() {
        return List.copyOf(found);
    }
}
