package dev.pipewright.provider.simulated;

import dev.pipewright.config.Fault;
import dev.pipewright.config.SimulationConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The chance in a simulated call: how long it takes and whether it fails. The random generator is shared by every
 * call, so it must be thread safe: under load, {@code () -> ThreadLocalRandom.current().nextLong()} (contention free;
 * a bare {@code ThreadLocalRandom.current()} must not be shared across threads); in a test that wants repeatable
 * draws, a seeded {@code java.util.Random}.
 */
final class SimulationDraw {
    private SimulationDraw() {}

    /** Uniform in [latency - jitter, latency + jitter], never below zero. */
    static Duration latency(SimulationConfig config, RandomGenerator random) {
        if (config.jitter().isZero()) {
            return config.latency();
        }
        long jitter = config.jitter().toNanos();
        long nanos = config.latency().toNanos() + random.nextLong(-jitter, jitter + 1);
        return Duration.ofNanos(Math.max(0, nanos));
    }

    /** The configured fault with probability {@code faultRate}; no random number is drawn at rate 0 or 1. */
    static Optional<Fault> fault(SimulationConfig config, RandomGenerator random) {
        if (config.fault().isEmpty() || config.faultRate() <= 0) {
            return Optional.empty();
        }
        if (config.faultRate() >= 1 || random.nextDouble() < config.faultRate()) {
            return config.fault();
        }
        return Optional.empty();
    }
}
