package dev.pipewright.provider.anthropic.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a {@code text/event-stream} event by event as the bytes arrive (never waiting for the whole body): fields
 * {@code event:} and {@code data:} (several data lines join with a newline), comment lines starting with a colon
 * skipped, lines ending in LF, CRLF or CR. Not thread safe: one reader per stream.
 */
public final class ServerSentEvents {
    private final BufferedReader lines;

    public ServerSentEvents(InputStream body) {
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next complete event, or empty at the end of the stream (an unfinished last event is dropped). */
    public Optional<ServerSentEvent> next() throws IOException {
        String type = "";
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(new ServerSentEvent(type, data.toString()));
                }
                type = "";
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : stripOneSpace(line.substring(colon + 1));
            if (field.equals("event")) {
                type = value;
            } else if (field.equals("data")) {
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            }
        }
        return Optional.empty();
    }

    private static String stripOneSpace(String value) {
        return value.startsWith(" ") ? value.substring(1) : value;
    }
}
