package dev.pipewright.provider.openai;

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

/** The OpenAI adapter keeps the seam's contract against the project's simulator, which speaks OpenAI's wire format. */
class OpenAiModelClientContractTest extends ModelClientContract {
    private static SimulatorServer simulator;
    private static ModelClient client;

    @BeforeAll
    static void startSimulator() {
        simulator =
                SimulatorServer.start("127.0.0.1", 0, SimulationProfiles.fromNames(), Clock.system(), new Random(7));
        ProviderConfig provider = new ProviderConfig(
                "simulated-openai",
                ProviderKind.OPENAI,
                Optional.of("SIMULATOR_KEY"),
                Optional.of(URI.create("http://127.0.0.1:" + simulator.port() + "/v1")));
        client = new OpenAiModelClient(provider, name -> Optional.of("sk-simulated"), Clock.system());
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
        return "sim-chat+latency=1ms+tokens=8";
    }

    @Override
    protected Optional<String> embeddingModel() {
        return Optional.of("sim-embed+latency=1ms+dims=16");
    }

    @Override
    protected Optional<String> slowChatModel() {
        return Optional.of("sim-chat+latency=5s");
    }
}
