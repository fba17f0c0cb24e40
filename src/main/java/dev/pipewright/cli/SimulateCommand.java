package dev.pipewright.cli;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.Clock;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.provider.simulated.SimulatorServer;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pipewright simulate --port N}: a local server that speaks the OpenAI and Anthropic wire formats, with the
 * latencies and faults of the simulated models in the configuration (when there is one) or named in the model.
 */
@Command(name = "simulate", description = "Serves simulated OpenAI- and Anthropic-compatible model APIs.")
final class SimulateCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(SimulateCommand.class);

    @Mixin
    ConfigOption config;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        SimulationProfiles profiles = profiles();
        CountDownLatch stopped = new CountDownLatch(1);
        try (SimulatorServer server = SimulatorServer.start(
                host,
                port,
                profiles,
                Clock.system(),
                () -> ThreadLocalRandom.current().nextLong())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "pipewright-shutdown"));
            log.info("simulator serving OpenAI and Anthropic wire formats on http://{}:{}", host, server.port());
            stopped.await();
        }
        return 0;
    }

    private SimulationProfiles profiles() {
        if (!Files.exists(config.file)) {
            return SimulationProfiles.of(Map.of());
        }
        PipewrightConfig loaded = config.load();
        Set<String> simulated = loaded.providers().values().stream()
                .filter(provider -> provider.kind() == ProviderKind.SIMULATED)
                .map(ProviderConfig::name)
                .collect(Collectors.toSet());
        return Engine.simulationProfiles(loaded, simulated);
    }
}
