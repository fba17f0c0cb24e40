package dev.pipewright.telemetry;

import java.util.Objects;

/**
 * A named value logged as a field of its own: pass it as an argument of an SLF4J call after those the message's
 * {@code {}} placeholders take, never for a placeholder, so that the message stays short and says each value once.
 * The JSON encoder ({@link JsonLogEncoder}) writes it as {@code "name": value} (numbers and booleans as JSON numbers and
 * booleans, anything else as a string); a text line shows it after the message as {@code name=value}
 * ({@link LogFieldsConverter}).
 */
public record LogField(String name, Object value) {
    public LogField {
        Objects.requireNonNull(name, "name");
    }

    public static LogField field(String name, Object value) {
        return new LogField(name, value);
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
