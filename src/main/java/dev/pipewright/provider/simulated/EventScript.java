package dev.pipewright.provider.simulated;

import java.util.List;

/**
 * The frames of one streamed answer, already encoded: those sent before the first token, one per token, and those
 * that end the stream (finish reason, usage, end marker), plus the provider's idea of a malformed frame.
 */
record EventScript(List<byte[]> opening, List<byte[]> tokens, List<byte[]> closing, byte[] malformed) {
    EventScript {
        opening = List.copyOf(opening);
        tokens = List.copyOf(tokens);
        closing = List.copyOf(closing);
    }
}
