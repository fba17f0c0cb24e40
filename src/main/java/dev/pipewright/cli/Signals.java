package dev.pipewright.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OS signal handlers ({@code TERM}, {@code INT}, {@code HUP}) through {@code sun.misc.Signal}, which the JDK exports
 * from {@code jdk.unsupported} for this purpose. A JVM or platform that refuses a signal leaves its default in place
 * (for TERM: the shutdown hook).
 */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /**
     * Runs {@code handler} on its own thread each time the process receives {@code SIG<name>}; false when the signal
     * cannot be handled here.
     */
    static boolean on(String name, Runnable handler) {
        try {
            sun.misc.Signal.handle(
                    new sun.misc.Signal(name),
                    signal -> Thread.ofPlatform()
                            .name("pipewright-sig" + name.toLowerCase(java.util.Locale.ROOT))
                            .start(handler));
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError refused) {
            log.debug("SIG{} cannot be handled here: {}", name, refused.toString());
            return false;
        }
    }
}
