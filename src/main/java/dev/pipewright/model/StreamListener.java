package dev.pipewright.model;

/** Receives a streamed chat answer piece by piece, on the thread that streams, in order. */
@FunctionalInterface
public interface StreamListener {
    void onText(String delta);
}
