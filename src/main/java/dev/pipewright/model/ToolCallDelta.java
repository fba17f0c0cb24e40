package dev.pipewright.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A piece of a streamed tool call. {@code index} tells the calls of one answer apart (0 for the first call, in the
 * order they began); the first piece of a call carries its {@code id} and {@code name}, and every piece may carry a
 * fragment of its arguments' JSON text, which the pieces of one index spell out when joined in order.
 */
public record ToolCallDelta(int index, Optional<String> id, Optional<String> name, String argumentsDelta) {
    public ToolCallDelta {
        if (index < 0) {
            throw new IllegalArgumentException("a tool call index must not be negative, but was " + index);
        }
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentsDelta, "argumentsDelta");
    }

    /** The opening piece of a call. */
    public static ToolCallDelta start(int index, String id, String name) {
        return new ToolCallDelta(index, Optional.of(id), Optional.of(name), "");
    }

    /** Each call whole, as one piece apiece: how an answer that did not stream, or a cached one, is replayed. */
    public static List<ToolCallDelta> whole(List<ToolCall> calls) {
        List<ToolCallDelta> deltas = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            deltas.add(new ToolCallDelta(i, Optional.of(call.id()), Optional.of(call.name()), call.arguments()));
        }
        return List.copyOf(deltas);
    }

    /** A fragment of a call's arguments. */
    public static ToolCallDelta arguments(int index, String fragment) {
        return new ToolCallDelta(index, Optional.empty(), Optional.empty(), fragment);
    }
}
