package dev.pipewright.cli;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelClient;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One configuration and the provider clients built from it: what a request runs on from start to end. Immutable; a
 * reload makes the next generation, which takes over the clients (and so the connection pools) of every provider
 * whose definition did not change.
 */
record Generation(
        long number,
        PipewrightConfig config,
        Map<ClientKey, ModelClient> clients,
        Map<String, ModelClient> byProvider) {

    /**
     * What a provider's client is built from: the provider's definition and, for the simulator, the behaviour of its
     * models. Two equal keys build interchangeable clients.
     */
    record ClientKey(ProviderConfig provider, Map<String, SimulationConfig> simulations) {
        static ClientKey of(PipewrightConfig config, ProviderConfig provider) {
            Map<String, SimulationConfig> simulations = new LinkedHashMap<>();
            if (provider.kind() == ProviderKind.SIMULATED) {
                for (ModelConfig model : config.models().values()) {
                    if (model.provider().equals(provider.name())) {
                        simulations.put(model.model(), model.simulation());
                    }
                }
            }
            return new ClientKey(provider, Map.copyOf(simulations));
        }
    }

    Generation {
        clients = Map.copyOf(clients);
        byProvider = Map.copyOf(byProvider);
    }

    private Generation(long number, PipewrightConfig config, Map<ClientKey, ModelClient> clients) {
        this(number, config, clients, byProvider(config, clients));
    }

    static Generation first(PipewrightConfig config, Clock clock, RandomGenerator random) {
        return new Generation(1, config, build(config, Map.of(), clock, random));
    }

    /** The generation after this one, for {@code next}, reusing the clients {@code next} builds the same. */
    Generation next(PipewrightConfig next, Clock clock, RandomGenerator random) {
        return new Generation(number + 1, next, build(next, clients, clock, random));
    }

    /** The client of the provider named {@code provider}. */
    ModelClient client(String provider) {
        ModelClient client = byProvider.get(provider);
        if (client == null) {
            throw new IllegalArgumentException("unknown provider '" + provider + "'");
        }
        return client;
    }

    /** How many of this generation's clients were taken over from {@code previous}. */
    long clientsKeptFrom(Generation previous) {
        return clients.entrySet().stream()
                .filter(entry -> previous.clients.get(entry.getKey()) == entry.getValue())
                .count();
    }

    private static Map<String, ModelClient> byProvider(PipewrightConfig config, Map<ClientKey, ModelClient> clients) {
        Map<String, ModelClient> byProvider = new HashMap<>();
        config.providers()
                .forEach((name, provider) -> byProvider.put(name, clients.get(ClientKey.of(config, provider))));
        return byProvider;
    }

    private static Map<ClientKey, ModelClient> build(
            PipewrightConfig config, Map<ClientKey, ModelClient> existing, Clock clock, RandomGenerator random) {
        Map<ClientKey, ModelClient> clients = new HashMap<>();
        for (ProviderConfig provider : config.providers().values()) {
            ClientKey key = ClientKey.of(config, provider);
            ModelClient client = existing.get(key);
            clients.put(key, client != null ? client : Engine.client(config, provider, clock, random));
        }
        return clients;
    }
}
