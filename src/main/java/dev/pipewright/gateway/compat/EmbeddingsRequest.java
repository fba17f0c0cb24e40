package dev.pipewright.gateway.compat;

import dev.pipewright.model.ModelRequest;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A checked {@code POST /v1/embeddings}: the model alias, the texts, whether vectors go out as base64, and the
 * length the caller asked vectors to have.
 */
public record EmbeddingsRequest(
        String model, ModelRequest.Embedding embedding, boolean base64, OptionalInt dimensions) {
    public EmbeddingsRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(embedding, "embedding");
    }
}
