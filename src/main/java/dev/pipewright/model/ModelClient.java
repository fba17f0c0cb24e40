package dev.pipewright.model;

/**
 * The seam to one provider. An implementation maps the request to the provider's wire format, makes one attempt
 * (no retries: those belong to {@link ModelCall}), maps the answer back, and reports every failure as a
 * {@link ModelException} whose {@link ModelError} says whether a retry can help. Implementations are thread safe and
 * must stop work when the calling thread is interrupted.
 */
public interface ModelClient {

    ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options);

    ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options);

    /** Dispatches on the kind of request. */
    default ModelResponse call(ModelRequest request, CallOptions options) {
        return switch (request) {
            case ModelRequest.Chat chat -> chat(chat, options);
            case ModelRequest.Embedding embedding -> embed(embedding, options);
        };
    }
}
