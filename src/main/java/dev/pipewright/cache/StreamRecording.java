package dev.pipewright.cache;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * The pieces of a streamed answer, stored as one response once the stream has ended properly ("put after
 * complete"). A stream larger than {@link #MAX_BYTES} is not cached, so a long stream cannot hold memory hostage.
 * Not thread safe: the one thread that writes the stream feeds it.
 */
public final class StreamRecording {
    /** The largest stream kept; beyond it the recording stops and stores nothing. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private final CacheLookup lookup;
    private final String contentType;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean tooLarge;
    private boolean completed;

    StreamRecording(CacheLookup lookup, String contentType) {
        this.lookup = Objects.requireNonNull(lookup);
        this.contentType = Objects.requireNonNull(contentType);
    }

    /** Adds a piece exactly as it was sent to the client. */
    public void append(byte[] piece) {
        if (completed) {
            throw new IllegalStateException("a piece arrived after the stream was completed");
        }
        if (tooLarge || bytes.size() + piece.length > MAX_BYTES) {
            tooLarge = true;
            bytes.reset();
            return;
        }
        bytes.writeBytes(piece);
    }

    /** The stream ended properly (its final event was sent): stores what was recorded. Call at most once. */
    public void complete() {
        if (completed) {
            throw new IllegalStateException("the stream was already completed");
        }
        completed = true;
        if (!tooLarge) {
            lookup.store(new CachedResponse(contentType, bytes.toByteArray()));
        }
    }
}
