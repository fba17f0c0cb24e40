package dev.pipewright.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

final class Maps {
    private Maps() {}

    /** An unmodifiable copy that keeps the iteration order of {@code source}. */
    static <K, V> Map<K, V> ordered(Map<K, V> source) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }
}
