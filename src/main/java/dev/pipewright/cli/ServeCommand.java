package dev.pipewright.cli;

import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.GatewayParts;
import dev.pipewright.gateway.GatewayServer;
import dev.pipewright.model.Clock;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipewright serve}: runs every role in one process on the embedded default. */
@Command(name = "serve", description = "Serves the HTTP API (health and synchronous pipeline runs).")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: server.host).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: server.port).")
    Integer port;

    @Override
    public Integer call() throws InterruptedException, IOException {
        PipewrightConfig loaded = config.load();
        String listenHost = host != null ? host : loaded.server().host();
        int listenPort = port != null ? port : loaded.server().port();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Engine engine = Engine.start(loaded);
                GatewayAccess access = GatewayAccess.start(
                        engine::config,
                        config.file,
                        System.getenv(),
                        spec.commandLine().getErr(),
                        Clock.system());
                ResponseCaching caching = ResponseCaching.from(loaded.cache(), loaded.redis(), Clock.system());
                GatewayServer server = GatewayServer.start(
                        listenHost,
                        listenPort,
                        new GatewayParts(
                                engine::config,
                                engine.executor(),
                                access.filter(),
                                Optional.of(engine.modelCall()),
                                engine.routingFeatures(caching),
                                engine.telemetry()))) {
            engine.warmUp();
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "pipewright-shutdown"));
            log.info(
                    "pipewright serving on http://{}:{} with {} pipelines from {}",
                    listenHost,
                    server.port(),
                    loaded.pipelines().size(),
                    config.file);
            stopped.await();
        }
        return 0;
    }
}
