package dev.pipewright.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** A model's answer. {@code model} is the provider model that produced it, as the provider named it. */
public sealed interface ModelResponse permits ModelResponse.Chat, ModelResponse.Embedding {

    String model();

    Usage usage();

    /** A chat answer; {@code toolCalls} holds the OpenAI-shaped tool calls when the model asked for tools. */
    record Chat(String model, String text, String finishReason, Usage usage, Optional<JsonNode> toolCalls)
            implements ModelResponse {
        public Chat(String model, String text, String finishReason, Usage usage) {
            this(model, text, finishReason, usage, Optional.empty());
        }
    }

    record Embedding(String model, List<float[]> vectors, Usage usage) implements ModelResponse {
        public Embedding {
            vectors = List.copyOf(vectors);
        }
    }
}
