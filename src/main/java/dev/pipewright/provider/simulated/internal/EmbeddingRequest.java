package dev.pipewright.provider.simulated.internal;

import java.util.List;
import java.util.OptionalInt;

/** An OpenAI embeddings request: the texts in order, and whether vectors go back as base64 float32 bytes. */
public record EmbeddingRequest(String model, List<String> inputs, boolean base64, OptionalInt dimensions) {
    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
    }
}
