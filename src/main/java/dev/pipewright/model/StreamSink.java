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

    public StreamSink(StreamListener downstream) {
        this.downstream = Objects.requireNonNull(downstream);
    }

    @Override
    public void onText(String delta) {
        if (delta.isEmpty()) {
            return;
        }
        started = true;
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
}
