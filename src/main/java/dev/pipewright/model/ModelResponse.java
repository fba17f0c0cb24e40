package dev.pipewright.model;

import java.util.List;

/** A model's answer. {@code model} is the provider model that produced it, as the provider named it. */
public sealed interface ModelResponse permits ModelResponse.Chat, ModelResponse.Embedding {

    String model();

    Usage usage();

    record Chat(String model, String text, String finishReason, Usage usage) implements ModelResponse {}

    record Embedding(String model, List<float[]> vectors, Usage usage) implements ModelResponse {
        public Embedding {
            vectors = List.copyOf(vectors);
        }
    }
}
