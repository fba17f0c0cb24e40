package dev.pipewright.gateway.compat;

import dev.pipewright.model.ModelRequest;
import java.util.Objects;

/** A checked {@code POST /v1/chat/completions}: the model alias asked for, the chat, and how to answer. */
public record ChatCompletionRequest(String model, ModelRequest.Chat chat, boolean stream, boolean includeUsage) {
    public ChatCompletionRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(chat, "chat");
    }
}
