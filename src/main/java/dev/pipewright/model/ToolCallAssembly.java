package dev.pipewright.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins the {@link ToolCallDelta}s of one streamed answer into whole tool calls, by index. Not thread safe: one per
 * stream.
 */
public final class ToolCallAssembly {
    private final Map<Integer, Partial> calls = new TreeMap<>();

    private static final class Partial {
        private String id = "";
        private String name = "";
        private final StringBuilder arguments = new StringBuilder();
    }

    public void add(ToolCallDelta delta) {
        Partial call = calls.computeIfAbsent(delta.index(), index -> new Partial());
        delta.id().ifPresent(id -> call.id = id);
        delta.name().ifPresent(name -> call.name = name);
        call.arguments.append(delta.argumentsDelta());
    }

    public boolean isEmpty() {
        return calls.isEmpty();
    }

    /**
     * The calls in index order; arguments never streamed are {@code {}}.
     *
     * @throws IllegalArgumentException when a call never received its id or name
     */
    public List<ToolCall> calls() {
        List<ToolCall> result = new ArrayList<>(calls.size());
        calls.forEach((index, call) -> {
            if (call.id.isEmpty() || call.name.isEmpty()) {
                throw new IllegalArgumentException("streamed tool call " + index + " never received its id and name");
            }
            String arguments = call.arguments.isEmpty() ? "{}" : call.arguments.toString();
            result.add(new ToolCall(call.id, call.name, arguments));
        });
        return List.copyOf(result);
    }
}
