package dev.pipewright.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Reads {@code models: ALIAS: {...}}: the pinned model behind each alias, its price and resilience policy. */
final class ModelsReader {
    private static final String[] KEYS = {
        "provider",
        "model",
        "type",
        "price",
        "timeout",
        "retry",
        "circuit",
        "fallbacks",
        "context_window",
        "simulation",
        "stream"
    };

    private final Map<String, ProviderConfig> providers;
    private final Set<String> declaredProviders;

    /**
     * @param providers the providers that were read without problems
     * @param declaredProviders every provider name the file declares, including those with problems of their own
     */
    ModelsReader(Map<String, ProviderConfig> providers, Set<String> declaredProviders) {
        this.providers = providers;
        this.declaredProviders = declaredProviders;
    }

    Map<String, ModelConfig> read(ConfigNode section) {
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        section.entries("model aliases to {provider, model, ...}", NameRule.MODEL_ALIAS)
                .forEach((alias, node) -> {
                    node.required()
                            .block(KEYS)
                            .flatMap(block -> model(alias, block))
                            .ifPresent(model -> models.put(alias, model));
                });
        FallbackChecks.check(section, models);
        return models;
    }

    /**
     * The model, or empty when its provider or model name is unusable. Every other part that has a problem is
     * reported and replaced by its default, so that the model's type and fallbacks can still be checked elsewhere.
     */
    private Optional<ModelConfig> model(String alias, ConfigNode block) {
        Optional<String> provider = provider(block.get("provider"));
        Optional<ProviderConfig> providerConfig = provider.map(providers::get);
        Optional<String> model = block.get("model").required().name();
        model.flatMap(ModelPinning.shipped()::problemWith).ifPresent(block.get("model")::problem);
        ModelType type = block.get("type").choice(ModelType.class).orElse(ModelType.CHAT);
        providerConfig.ifPresent(present -> checkProviderServes(present, type, block.get("type")));
        Optional<Price> price = price(block.get("price"), providerConfig, model);
        Duration timeout = block.get("timeout").duration().orElse(ModelConfig.DEFAULT_TIMEOUT);
        RetryPolicy retry = retry(block.get("retry"));
        CircuitPolicy circuit = circuit(block.get("circuit"));
        List<String> fallbacks = block.get("fallbacks").elements().stream()
                .flatMap(item -> item.text().stream())
                .toList();
        OptionalInt contextWindow = block.get("context_window").positiveInteger();
        SimulationConfig simulation = simulation(block.get("simulation"), providerConfig);
        StreamTimeouts stream = stream(block.get("stream"));
        if (provider.isEmpty() || model.isEmpty()) {
            return Optional.empty();
        }
        return block.build(() -> new ModelConfig(
                alias,
                provider.get(),
                model.get(),
                type,
                price,
                timeout,
                retry,
                circuit,
                fallbacks,
                contextWindow,
                simulation,
                stream));
    }

    /** {@code stream: {first_token_timeout, idle_timeout}}, each defaulting to {@link StreamTimeouts#DEFAULT}. */
    private static StreamTimeouts stream(ConfigNode node) {
        StreamTimeouts defaults = StreamTimeouts.DEFAULT;
        return node.block("first_token_timeout", "idle_timeout")
                .flatMap(block -> block.build(() -> new StreamTimeouts(
                        block.get("first_token_timeout").duration().orElse(defaults.firstToken()),
                        block.get("idle_timeout").duration().orElse(defaults.idle()))))
                .orElse(defaults);
    }

    private Optional<String> provider(ConfigNode node) {
        return node.required().name().filter(name -> {
            if (!declaredProviders.contains(name)) {
                node.problem("unknown provider '" + name + "'");
            }
            return declaredProviders.contains(name);
        });
    }

    /** The configured price, else the shipped table's price of the pinned model, else none. */
    private static Optional<Price> price(ConfigNode node, Optional<ProviderConfig> provider, Optional<String> model) {
        Optional<Price> price = price(node);
        if (node.isPresent()) {
            return price;
        }
        Optional<Price> listed = model.flatMap(PriceTable.shipped()::priceOf);
        if (listed.isEmpty() && provider.filter(ModelsReader::isBilled).isPresent()) {
            node.problem("is required: '" + model.orElse("") + "' is not in the shipped price table (as of "
                    + PriceTable.shipped().asOf() + "); set input_per_mtok and output_per_mtok");
        }
        return listed;
    }

    /** A call to a hosted API costs money, so its price must be known for cost accounting and budgets to hold. */
    private static boolean isBilled(ProviderConfig provider) {
        return switch (provider.kind()) {
            case OPENAI, ANTHROPIC -> provider.baseUrl().isEmpty();
            case LOCAL, SIMULATED -> false;
        };
    }

    private static void checkProviderServes(ProviderConfig provider, ModelType type, ConfigNode typeNode) {
        if (type == ModelType.EMBEDDING && provider.kind() == ProviderKind.ANTHROPIC) {
            typeNode.problem("provider '" + provider.name() + "' is anthropic, which serves no embedding models");
        }
    }

    private static Optional<Price> price(ConfigNode node) {
        return node.block("input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "per_image")
                .flatMap(block -> {
                    Optional<BigDecimal> input =
                            block.get("input_per_mtok").required().amount();
                    Optional<BigDecimal> output =
                            block.get("output_per_mtok").required().amount();
                    Optional<BigDecimal> cached =
                            block.get("cached_input_per_mtok").amount();
                    Optional<BigDecimal> perImage = block.get("per_image").amount();
                    if (input.isEmpty() || output.isEmpty()) {
                        return Optional.empty();
                    }
                    return block.build(() -> new Price(input.get(), output.get(), cached, perImage));
                });
    }

    private static RetryPolicy retry(ConfigNode node) {
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        return node.block("attempts", "base_delay", "max_delay")
                .flatMap(block -> block.build(() -> new RetryPolicy(
                        block.get("attempts").integer().orElse(defaults.attempts()),
                        block.get("base_delay").duration().orElse(defaults.baseDelay()),
                        block.get("max_delay").duration().orElse(defaults.maxDelay()))))
                .orElse(defaults);
    }

    /**
     * Counts the records check together ("open_for must be positive and probes at least 1") are checked here one by
     * one, so that the problem lands on the key that is wrong.
     */
    private static CircuitPolicy circuit(ConfigNode node) {
        CircuitPolicy defaults = CircuitPolicy.DEFAULT;
        return node.block("failure_rate", "min_calls", "window", "open_for", "probes")
                .flatMap(block -> block.build(() -> new CircuitPolicy(
                        block.get("failure_rate").number().orElse(defaults.failureRate()),
                        block.get("min_calls").positiveInteger().orElse(defaults.minCalls()),
                        block.get("window").integer().orElse(defaults.window()),
                        block.get("open_for").duration().orElse(defaults.openFor()),
                        block.get("probes").positiveInteger().orElse(defaults.probes()))))
                .orElse(defaults);
    }

    private static SimulationConfig simulation(ConfigNode node, Optional<ProviderConfig> provider) {
        provider.filter(present -> present.kind() != ProviderKind.SIMULATED && node.isPresent())
                .ifPresent(present -> node.problem("only a model on a simulated provider can be simulated, but '"
                        + present.name() + "' is " + ConfigNode.configName(present.kind())));
        SimulationConfig defaults = SimulationConfig.DEFAULT;
        return node.block("latency", "jitter", "fault", "fault_rate", "retry_after", "output_tokens", "dimensions")
                .flatMap(block -> {
                    Optional<Fault> fault = block.get("fault").choice(Fault.class);
                    ConfigNode faultRate = block.get("fault_rate");
                    if (faultRate.isPresent() && !block.get("fault").isPresent()) {
                        faultRate.problem("has no fault to inject; name one with fault");
                    }
                    return block.build(() -> new SimulationConfig(
                            block.get("latency").duration().orElse(defaults.latency()),
                            block.get("jitter").duration().orElse(defaults.jitter()),
                            fault,
                            faultRate.number().orElse(defaults.faultRate()),
                            block.get("retry_after").duration().orElse(defaults.retryAfter()),
                            block.get("output_tokens").positiveInteger().orElse(defaults.outputTokens()),
                            block.get("dimensions").positiveInteger().orElse(defaults.dimensions())));
                })
                .orElse(defaults);
    }
}
