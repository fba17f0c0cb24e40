package dev.pipewright.cost;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a cost report may group by. */
public enum Dimension {
    TENANT,
    PIPELINE,
    STEP,
    PROVIDER,
    MODEL,
    VARIANT,
    /** The UTC day of the call, {@code YYYY-MM-DD}. */
    DAY;

    /** The name in {@code group_by} and in a report row. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dimension named {@code key}; the message lists the names when there is none. */
    public static Dimension of(String key) {
        for (Dimension dimension : values()) {
            if (dimension.key().equals(key)) {
                return dimension;
            }
        }
        throw new IllegalArgumentException("'" + key + "' is not a dimension to group by; use " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Dimension::key).collect(Collectors.joining(", "));
    }
}
