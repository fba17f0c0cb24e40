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

    /**
     * Streams a chat answer: hands each piece to {@code listener} as it arrives and returns the whole answer, with
     * its usage, once the provider has ended the stream properly. A stream that ends early, stalls longer than
     * {@link CallOptions#idleTimeout()} or sends a malformed chunk is a failure, never a shorter success. A client
     * whose provider cannot stream keeps this default: the whole answer arrives as one piece
     * (and each tool call as one).
     */
    default ModelResponse.Chat stream(ModelRequest.Chat request, CallOptions options, StreamListener listener) {
        ModelResponse.Chat answer = chat(request, options);
        listener.onText(answer.text());
        ToolCallDelta.whole(answer.toolCalls()).forEach(listener::onToolCall);
        return answer;
    }

    /**
     * Releases what the client holds (its connection pool), once no call uses it any more: called when a reload
     * replaced it. A client that holds nothing keeps this default.
     */
    default void close() {}

    /** Dispatches on the kind of request. */
    default ModelResponse call(ModelRequest request, CallOptions options) {
        return switch (request) {
            case ModelRequest.Chat chat -> chat(chat, options);
            case ModelRequest.Embedding embedding -> embed(embedding, options);
        };
    }
}
