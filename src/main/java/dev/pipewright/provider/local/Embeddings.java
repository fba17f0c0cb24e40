package dev.pipewright.provider.local;

import java.util.List;

/** Vectors for a batch of texts, in input order, and the tokens the model's tokenizer counted in the inputs. */
public record Embeddings(List<float[]> vectors, long inputTokens) {
    public Embeddings {
        vectors = List.copyOf(vectors);
        if (inputTokens < 0) {
            throw new IllegalArgumentException("inputTokens must not be negative, but was " + inputTokens);
        }
    }
}
