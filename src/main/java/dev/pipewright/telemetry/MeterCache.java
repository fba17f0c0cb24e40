package dev.pipewright.telemetry;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one name, registered once per set of tag values and found again by those values. Registering
 * through Micrometer's builder on every use merges tags, builds the histogram settings and looks the meter up in the
 * registry each time: a few microseconds per meter on the gateway's hot path, several meters per request. Tag values
 * are low-cardinality by design, so the map stays small. Thread safe.
 */
final class MeterCache<M> {
    private final ConcurrentHashMap<List<String>, M> meters = new ConcurrentHashMap<>();
    private final Function<List<String>, M> register;

    /** {@code register} builds and registers the meter for a list of tag values, in the order {@link #get} gets them. */
    MeterCache(Function<List<String>, M> register) {
        this.register = Objects.requireNonNull(register);
    }

    M get(String... tagValues) {
        List<String> key = List.of(tagValues);
        M meter = meters.get(key);
        return meter != null ? meter : meters.computeIfAbsent(key, register);
    }
}
