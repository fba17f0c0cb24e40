package dev.pipewright.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must be flushed when the process stops, after the requests and jobs in flight have ended and before the
 * database and telemetry close: a part that buffers writes (the cost ledger, an exporter) registers here when it is
 * built. Hooks run once, in the order they were registered; one that fails is logged and the others still run.
 * Thread safe.
 */
final class DrainHooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DrainHooks.class);

    private record Hook(String name, Runnable action) {}

    private final List<Hook> hooks = new ArrayList<>();
    private boolean ran;

    synchronized void register(String name, Runnable action) {
        hooks.add(new Hook(Objects.requireNonNull(name, "name"), Objects.requireNonNull(action, "action")));
    }

    /** Runs every hook once; later calls do nothing. */
    synchronized void runAll() {
        if (ran) {
            return;
        }
        ran = true;
        for (Hook hook : hooks) {
            try {
                hook.action().run();
                log.info("drained {}", hook.name());
            } catch (RuntimeException e) {
                log.error("could not drain {}", hook.name(), e);
            }
        }
    }

    @Override
    public void close() {
        runAll();
    }
}
