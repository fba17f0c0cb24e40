package dev.pipewright.provider.simulated;

import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelClientContract;
import java.util.Optional;
import java.util.Random;

class SimulatedModelClientContractTest extends ModelClientContract {
    private final ModelClient client =
            new SimulatedModelClient(SimulationProfiles.fromNames(), Clock.system(), new Random(7));

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
