package dev.pipewright.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds cycles in a graph of names, such as steps and the steps they need, or models and their fallbacks. */
final class Cycles {
    private final Map<String, List<String>> edges;
    private final List<String> order;
    private final Map<String, Boolean> finished = new HashMap<>();
    private final List<String> trail = new ArrayList<>();
    private final Set<List<String>> found = new LinkedHashSet<>();

    private Cycles(Map<String, List<String>> edges) {
        this.edges = edges;
        this.order = List.copyOf(edges.keySet());
    }

    /**
     * Each cycle once, as the names along it that end where it started ({@code [a, b, a]}), starting from the name
     * declared first. Every name that lies on a cycle is on at least one of those reported. Edges to names that are
     * not keys of {@code edges} are ignored.
     */
    static List<List<String>> in(Map<String, List<String>> edges) {
        Cycles search = new Cycles(edges);
        search.order.forEach(search::visit);
        return List.copyOf(search.found);
    }

    private void visit(String name) {
        if (finished.containsKey(name)) {
            return;
        }
        int onTrail = trail.indexOf(name);
        if (onTrail >= 0) {
            found.add(rotated(trail.subList(onTrail, trail.size())));
            return;
        }
        trail.add(name);
        edges.get(name).stream().filter(edges::containsKey).forEach(this::visit);
        trail.removeLast();
        finished.put(name, true);
    }

    private List<String> rotated(List<String> cycle) {
        int first = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (order.indexOf(cycle.get(i)) < order.indexOf(cycle.get(first))) {
                first = i;
            }
        }
        List<String> path = new ArrayList<>(cycle.subList(first, cycle.size()));
        path.addAll(cycle.subList(0, first));
        path.add(path.getFirst());
        return List.copyOf(path);
    }

    static String describe(List<String> cycle) {
        return String.join(" -> ", cycle);
    }
}
