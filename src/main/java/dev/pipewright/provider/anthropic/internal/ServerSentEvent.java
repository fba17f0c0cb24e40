package dev.pipewright.provider.anthropic.internal;

import java.util.Objects;

/** One event of a {@code text/event-stream}: its {@code event:} name (empty when none was sent) and its data. */
public record ServerSentEvent(String type, String data) {
    public ServerSentEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
