package dev.pipewright.gateway.compat;

import dev.pipewright.model.ModelRequest;
import java.util.Objects;

/** A checked Anthropic {@code POST /v1/messages}: the model alias, the chat, and whether to stream. */
public record MessagesRequest(String model, ModelRequest.Chat chat, boolean stream) {
    public MessagesRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(chat, "chat");
    }
}
