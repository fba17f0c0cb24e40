package dev.pipewright.model;

import java.util.Objects;

/**
 * The streaming side of one call: where the pieces go, and whether any has gone out. Once a piece has reached the
 * caller, the answer can no longer be replaced, so no link of the chain may retry or fail over after
 * {@link #started()}; a failure then ends the stream with an error instead.
 */
public final class StreamSink implements StreamListener {
    private final StreamListener downstream;
    private volatile boolean started;
    private volatile long streamedChars;

    public StreamSink(StreamListener downstream) {
        this.downstream = Objects.requireNonNull(downstream);
    }

    @Override
    public void onText(String delta) {
        if (delta.isEmpty()) {
            return;
        }
        started = true;
        // Counted first: the model produced it (and the provider bills it) even if the caller is gone.
        streamedChars += delta.length();
        downstream.onText(delta);
    }

    @Override
    public void onToolCall(ToolCallDelta delta) {
        started = true;
        downstream.onToolCall(delta);
    }

    @Override
    public void onAttempt(String alias, String providerModel) {
        downstream.onAttempt(alias, providerModel);
    }

    public boolean started() {
        return started;
    }

    /**
     * How many characters of answer have reached the caller: what a provider may bill for a stream that broke off.
     * Only the streaming thread adds to it.
     */
    public long streamedChars() {
        return streamedChars;
    }
}
