package dev.pipewright.provider.openai.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the data of server-sent events from a response body as it arrives: the {@code data:} lines of one event,
 * joined by newlines, handed out when the blank line that ends the event is read. Comments ({@code :}-lines, which
 * servers send to keep a connection open) and the {@code event}, {@code id} and {@code retry} fields carry nothing
 * an OpenAI stream needs and are skipped. Not thread safe: one reader per stream.
 */
public final class ServerSentEvents {
    private final BufferedReader lines;

    public ServerSentEvents(InputStream body) {
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event's data, or empty once the body has ended; an unterminated last event still counts. */
    public Optional<String> next() throws IOException {
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(data.toString());
                }
                continue;
            }
            if (line.startsWith("data:")) {
                String value = line.startsWith("data: ") ? line.substring(6) : line.substring(5);
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            }
        }
        return Optional.ofNullable(data).map(StringBuilder::toString);
    }
}
