package dev.pipewright.model;

/** Receives a streamed chat answer piece by piece, on the thread that streams, in order. */
@FunctionalInterface
public interface StreamListener {
    void onText(String delta);

    /**
     * A piece of a tool call the model is making. A listener that relays the stream must forward it; one that only
     * wants the text may ignore it, as the whole calls come with the answer at the end.
     */
    default void onToolCall(ToolCallDelta delta) {}

    /**
     * Called before each attempt starts to stream, with the alias and provider model it asks, so that a listener
     * knows which model the pieces that follow come from (a fallback, perhaps). Most listeners ignore it.
     */
    default void onAttempt(String alias, String providerModel) {}
}
