package dev.pipewright.telemetry;

import java.util.Objects;

/**
 * A named value logged as a field of its own: pass it as an argument of an SLF4J call. The JSON encoder
 * ({@link JsonLogEncoder}) writes it as {@code "name": value} (numbers and booleans as JSON numbers and booleans,
 * anything else as a string), and a text line shows it as {@code name=value} where the message has a {@code {}} for
 * it.
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
