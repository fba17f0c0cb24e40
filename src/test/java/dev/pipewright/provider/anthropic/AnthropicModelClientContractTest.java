package dev.pipewright.provider.anthropic;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelClientContract;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.provider.simulated.SimulatorServer;
import java.net.URI;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class AnthropicModelClientContractTest extends ModelClientContract {
    private static SimulatorServer simulator;
    private static ModelClient client;

    @BeforeAll
    static void startSimulator() {
        simulator =
                SimulatorServer.start("127.0.0.1", 0, SimulationProfiles.fromNames(), Clock.system(), new Random(7));
        ProviderConfig provider = new ProviderConfig(
                "anthropic",
                ProviderKind.ANTHROPIC,
                Optional.of("ANTHROPIC_API_KEY"),
                Optional.of(URI.create("http://127.0.0.1:" + simulator.port())));
        client = new AnthropicModelClient(provider, name -> Optional.of("sk-ant-contract"), Clock.system());
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @Override
    protected ModelClient client() {
        return client;
    }

    @Override
    protected String chatModel() {
        return "claude-sim+latency=1ms+tokens=8";
    }

    @Override
    protected Optional<String> embeddingModel() {
        return Optional.empty();
    }

    @Override
    protected Optional<String> slowChatModel() {
        return Optional.of("claude-sim+latency=5s");
    }
}
