package dev.pipewright.cli;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.Drain;
import dev.pipewright.gateway.Operations;
import dev.pipewright.gateway.SchedulesApi;
import dev.pipewright.model.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The runtime operations of one {@code serve} process: configuration reloads (admin route, SIGHUP, and the file
 * watch when {@code server.watch_config} is on) and the drain the gateway refuses new requests with while the
 * process stops.
 */
final class RuntimeOperations implements AutoCloseable {
    private final Engine engine;
    private final ConfigReloads reloads;
    private final Drain drain;
    private final Optional<ConfigWatch> watch;

    private RuntimeOperations(Engine engine, ConfigReloads reloads, Optional<ConfigWatch> watch) {
        this.engine = engine;
        this.reloads = reloads;
        this.watch = watch;
        // Read once: a reload that changes server.max_in_flight takes effect at the next start, as host and port do.
        this.drain = new Drain(
                engine.config().server().inFlightLimit(Runtime.getRuntime().maxMemory()));
    }

    static RuntimeOperations start(Engine engine, Path file, UnaryOperator<PipewrightConfig> view) throws IOException {
        ConfigReloads reloads = new ConfigReloads(engine, file, view, Clock.system());
        Signals.on("HUP", () -> reloads.reload("signal:SIGHUP"));
        Optional<ConfigWatch> watch = engine.config().server().watchConfig()
                ? Optional.of(ConfigWatch.start(file, reloads))
                : Optional.empty();
        return new RuntimeOperations(engine, reloads, watch);
    }

    ConfigReloads reloads() {
        return reloads;
    }

    Drain drain() {
        return drain;
    }

    /** What the gateway serves of these operations, with the schedule routes when {@code schedules} is given. */
    Operations gatewayOperations(Optional<SchedulesApi> schedules) {
        return new Operations(drain, engine::pin, Optional.of(reloads), schedules);
    }

    @Override
    public void close() {
        watch.ifPresent(ConfigWatch::close);
    }
}
