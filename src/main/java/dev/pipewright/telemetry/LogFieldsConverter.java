package dev.pipewright.telemetry;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %fields} in a Logback pattern: the event's {@link LogField} arguments as {@code " name=value"} each, in order,
 * for the text format (the JSON encoder writes them as fields of their own). Empty when the event has none.
 */
public final class LogFieldsConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        if (arguments == null) {
            return "";
        }
        StringBuilder fields = new StringBuilder();
        for (Object argument : arguments) {
            if (argument instanceof LogField field) {
                fields.append(' ').append(field);
            }
        }
        return fields.toString();
    }
}
