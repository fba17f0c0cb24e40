package dev.pipewright.model;

/** Receives a streamed chat answer piece by piece, on the thread that streams, in order. */
@FunctionalInterface
public interface StreamListener {
    void onText(String delta);

    /**
     * Called before each attempt starts to stream, with the alias and provider model it asks, so that a listener
     * knows which model the pieces that follow come from (a fallback, perhaps). Most listeners ignore it.
     */
    default void onAttempt(String alias, String providerModel) {}
}
