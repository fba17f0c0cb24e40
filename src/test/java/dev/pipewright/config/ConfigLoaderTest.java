package dev.pipewright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String SIMULATED = """
            providers:
              sim: {kind: simulated}
            """;

    @Test
    void the_shipped_config_loads_cleanly_and_runs_on_local_models() {
        // when
        PipewrightConfig config = ConfigLoader.load(Path.of("pipewright.yaml"));

        // then
        assertThat(config.providers()).containsOnlyKeys("local");
        assertThat(config.providers().get("local").local().labels())
                .containsOnlyKeys("technical", "business", "creative", "legal");
        assertThat(config.models())
                .containsOnlyKeys("local-classifier", "local-chat", "local-extractor", "local-embedding", "local-ocr");
        assertThat(config.model("local-embedding").type()).isEqualTo(ModelType.EMBEDDING);
        assertThat(config.models().values())
                .allSatisfy(model -> assertThat(model.price()).isPresent());
        assertThat(config.pipelines()).containsKeys("analyze", "summarize", "document-chain", "documents");
    }

    @Test
    void the_hosted_example_falls_back_from_claude_to_gpt_to_the_local_models() {
        // when
        PipewrightConfig config = ConfigLoader.load(Path.of("examples/hosted.yaml"));

        // then
        assertThat(config.model("classifier").fallbacks()).containsExactly("classifier-gpt", "local-classifier");
        assertThat(config.model("analyst").fallbacks()).containsExactly("analyst-gpt", "local-chat");
        assertThat(config.model("embedder").fallbacks()).containsExactly("local-embedding");
        assertThat(config.providers().get("anthropic").apiKeyEnv()).contains("ANTHROPIC_API_KEY");
    }

    @Test
    void a_model_service_sees_only_the_in_process_models_without_their_fallbacks() {
        // given
        PipewrightConfig hosted = ConfigLoader.load(Path.of("examples/hosted.yaml"));

        // when
        PipewrightConfig service = hosted.onlyLocalModels();

        // then
        assertThat(service.providers()).containsOnlyKeys("local");
        assertThat(service.models()).containsOnlyKeys("local-classifier", "local-chat", "local-embedding");
        assertThat(service.models().values())
                .allSatisfy(model -> assertThat(model.fallbacks()).isEmpty());
        assertThat(service.pipelines()).isEmpty();
    }

    @Test
    void the_simulated_example_loads_cleanly() {
        // when
        PipewrightConfig config = ConfigLoader.load(Path.of("examples/simulated.yaml"));

        // then
        assertThat(config.providers()).containsOnlyKeys("sim");
        ModelConfig classifier = config.model("classifier");
        assertThat(classifier.model()).isEqualTo("sim-classifier-2025-01-01");
        assertThat(classifier.fallbacks()).containsExactly("classifier-backup");
        assertThat(classifier.simulation().latency()).isEqualTo(Duration.ofMillis(50));
        assertThat(classifier.simulation().jitter()).isEqualTo(Duration.ofMillis(5));
        assertThat(config.model("analyst").simulation().latency()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.model("embedder").simulation().dimensions()).isEqualTo(384);
    }

    @Test
    void the_shipped_analyze_pipeline_has_the_designed_shape() {
        // when
        PipelineConfig analyze =
                ConfigLoader.load(Path.of("pipewright.yaml")).pipelines().get("analyze");

        // then
        assertThat(analyze.deadline()).isEqualTo(Duration.ofSeconds(15));
        assertThat(analyze.steps())
                .extracting(StepConfig::name)
                .containsExactly("classify", "embedding", "analysis", "vision");
        assertThat(analyze.step("embedding").needs()).isEmpty();
        assertThat(analyze.step("analysis").needs()).containsExactly("classify");
        StepConfig vision = analyze.step("vision");
        assertThat(vision.when()).contains("input.image");
        assertThat(vision.optional()).isTrue();
        assertThat(vision.prompt()).isPresent();
        assertThat(vision.image()).contains("{{input.image}}");
        assertThat(analyze.output())
                .containsExactly(
                        Map.entry("classification", "classify"),
                        Map.entry("embedding", "embedding"),
                        Map.entry("analysis", "analysis"),
                        Map.entry("vision", "vision"));
    }

    @Test
    void defaults_are_applied_to_everything_left_out() {
        // given
        String yaml = SIMULATED + """
                models:
                  chat: {provider: sim, model: chat-2025-01-01}
                pipelines:
                  p:
                    steps:
                      first: {model: chat, prompt: "{{input.text}}"}
                      second: {model: chat, prompt: "{{input.text}}"}
                """;

        // when
        PipewrightConfig config = ConfigLoader.parse(yaml, "test.yaml");

        // then
        assertThat(config.server()).isEqualTo(ServerConfig.DEFAULT);
        assertThat(config.storage()).isEqualTo(StorageConfig.DEFAULT);
        assertThat(config.redis()).isEmpty();
        assertThat(config.tenants()).isEmpty();
        ModelConfig chat = config.model("chat");
        assertThat(chat.type()).isEqualTo(ModelType.CHAT);
        assertThat(chat.price()).isEmpty();
        assertThat(chat.timeout()).isEqualTo(ModelConfig.DEFAULT_TIMEOUT);
        assertThat(chat.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(chat.circuit()).isEqualTo(CircuitPolicy.DEFAULT);
        assertThat(chat.simulation()).isEqualTo(SimulationConfig.DEFAULT);
        assertThat(chat.fallbacks()).isEmpty();
        assertThat(chat.contextWindow()).isEmpty();
        PipelineConfig pipeline = config.pipelines().get("p");
        assertThat(pipeline.deadline()).isEqualTo(PipelineConfig.DEFAULT_DEADLINE);
        assertThat(pipeline.output()).containsExactly(Map.entry("first", "first"), Map.entry("second", "second"));
        assertThat(pipeline.step("first").optional()).isFalse();
    }

    @Test
    void a_partly_written_policy_takes_the_default_for_each_field_left_out() {
        // given
        String yaml = SIMULATED + """
                models:
                  chat:
                    provider: sim
                    model: chat-2025-01-01
                    retry: {attempts: 5}
                    circuit: {open_for: 1m}
                    simulation: {fault: rate-limit, fault_rate: 0.25}
                """;

        // when
        ModelConfig chat = ConfigLoader.parse(yaml, "test.yaml").model("chat");

        // then
        assertThat(chat.retry())
                .isEqualTo(new RetryPolicy(5, RetryPolicy.DEFAULT.baseDelay(), RetryPolicy.DEFAULT.maxDelay()));
        assertThat(chat.circuit().openFor()).isEqualTo(Duration.ofMinutes(1));
        assertThat(chat.circuit().window()).isEqualTo(CircuitPolicy.DEFAULT.window());
        assertThat(chat.simulation().fault()).contains(Fault.RATE_LIMIT);
        assertThat(chat.simulation().faultRate()).isEqualTo(0.25);
        assertThat(chat.simulation().latency()).isEqualTo(SimulationConfig.DEFAULT.latency());
    }

    @Test
    void reads_every_section_into_its_record() {
        // given
        String hash = "sha256:" + "AB".repeat(32);
        String yaml = """
                server: {host: 0.0.0.0, port: 9090}
                storage: {url: "jdbc:postgresql://db.internal/pipewright"}
                redis: {url: "rediss://cache.internal:6380"}
                providers:
                  openai: {kind: openai, api_key_env: OPENAI_API_KEY}
                  vllm: {kind: openai, base_url: "http://10.0.0.5:8000/v1"}
                models:
                  gpt:
                    provider: openai
                    model: gpt-4o-2024-11-20
                    price: {input_per_mtok: 2.50, output_per_mtok: "10.00", cached_input_per_mtok: 1.25}
                    timeout: 1.5s
                    context_window: 128000
                  llama: {provider: vllm, model: meta-llama/Llama-3.1-8B-Instruct}
                tenants:
                  acme:
                    api_keys: ["%s"]
                    rpm: 600
                    tpm: 200000
                    budget: {daily_usd: 50, monthly_usd: 1000.50}
                """.formatted(hash);

        // when
        PipewrightConfig config = ConfigLoader.parse(yaml, "test.yaml");

        // then
        assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 9090));
        assertThat(config.storage().url()).isEqualTo("jdbc:postgresql://db.internal/pipewright");
        assertThat(config.redis()).contains(new RedisConfig(URI.create("rediss://cache.internal:6380")));
        assertThat(config.providers().get("openai"))
                .isEqualTo(new ProviderConfig(
                        "openai", ProviderKind.OPENAI, Optional.of("OPENAI_API_KEY"), Optional.empty()));
        assertThat(config.providers().get("vllm").baseUrl()).contains(URI.create("http://10.0.0.5:8000/v1"));
        ModelConfig gpt = config.model("gpt");
        assertThat(gpt.price())
                .contains(new Price(
                        new BigDecimal("2.50"), new BigDecimal("10.00"), Optional.of(new BigDecimal("1.25"))));
        assertThat(gpt.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(gpt.contextWindow()).hasValue(128000);
        assertThat(config.providerOf(config.model("llama")).kind()).isEqualTo(ProviderKind.OPENAI);
        TenantConfig acme = config.tenants().get("acme");
        assertThat(acme.apiKeyHashes()).containsExactly("sha256:" + "ab".repeat(32));
        assertThat(acme.rpm()).hasValue(600);
        assertThat(acme.tpm()).hasValue(200000);
        assertThat(acme.budget())
                .contains(new Budget(Optional.of(new BigDecimal("50")), Optional.of(new BigDecimal("1000.50"))));
    }

    @Test
    void a_file_with_several_errors_fails_once_listing_them_all() {
        // given
        String yaml = SIMULATED + """
                server: {port: eighty}
                models:
                  classifier: {provider: sim, model: gpt-4o, timeout: 10 seconds}
                  analyst: {provider: simm, model: analyst-1, fallbacks: [classifier, ghost]}
                pipelines:
                  analyze:
                    steps:
                      analysis: {model: analyst, needs: [clasify], prompt: "{{input.text}}"}
                """;

        // when
        ConfigException failure =
                catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "pipewright.yaml"));

        // then
        List<ConfigProblem> expected = List.of(
                new ConfigProblem("server.port", "expected a whole number, but was 'eighty'"),
                new ConfigProblem(
                        "models.classifier.model",
                        "'gpt-4o' is a floating alias; pin a dated snapshot such as 'gpt-4o-2024-11-20'"),
                new ConfigProblem(
                        "models.classifier.timeout",
                        "'10 seconds' is not a duration; write a number and a unit (ms, s, m, h) such as 250ms, 10s,"
                                + " 1.5s, 5m or 1h"),
                new ConfigProblem("models.analyst.provider", "unknown provider 'simm'"),
                new ConfigProblem("models.analyst.fallbacks[1]", "unknown model 'ghost'"),
                new ConfigProblem("pipelines.analyze.steps.analysis.needs[0]", "unknown step 'clasify'"));
        assertThat(failure.problems()).containsExactlyElementsOf(expected);
        assertThat(failure.getMessage())
                .startsWith("6 problems in pipewright.yaml:\n  server.port: expected a whole number, but was 'eighty'\n"
                        + "  models.classifier.model: 'gpt-4o' is a floating alias;")
                .endsWith("\n  pipelines.analyze.steps.analysis.needs[0]: unknown step 'clasify'");
    }

    @Test
    void a_yaml_syntax_error_is_one_problem_with_its_line_and_column() {
        // given
        String yaml = """
                models:
                  chat: {provider: sim, model: [chat-1}
                """;

        // when
        ConfigException failure =
                catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "broken.yaml"));

        // then
        assertThat(failure.problems()).hasSize(1);
        assertThat(failure.problems().getFirst().path()).isEqualTo("line 2, column 39");
        assertThat(failure.problems().getFirst().message()).contains("expected ',' or ']'");
        assertThat(failure.getMessage()).startsWith("1 problem in broken.yaml:\n  line 2, column 39: ");
    }

    @Test
    void a_key_given_twice_is_a_problem_instead_of_the_last_one_silently_winning() {
        // given
        String yaml = SIMULATED + """
                models:
                  chat: {provider: sim, model: chat-1}
                  chat: {provider: sim, model: chat-2}
                """;

        // when
        ConfigException failure =
                catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "twice.yaml"));

        // then
        assertThat(failure.problems()).containsExactly(new ConfigProblem("line 5, column 7", "Duplicate field 'chat'"));
    }

    @Test
    void a_yaml_alias_is_refused_rather_than_read_as_the_anchor_name() {
        // given
        String yaml = SIMULATED + """
                models:
                  chat: &base {provider: sim, model: chat-1}
                  copy: *base
                """;

        // when
        ConfigException failure =
                catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "alias.yaml"));

        // then
        assertThat(failure.problems())
                .extracting(ConfigProblem::message)
                .containsExactly("YAML aliases (*base) are not supported; repeat the value");
    }

    @Test
    void an_empty_file_is_the_default_config() {
        // when
        PipewrightConfig config = ConfigLoader.parse("", "empty.yaml");

        // then
        assertThat(config.server()).isEqualTo(ServerConfig.DEFAULT);
        assertThat(config.models()).isEmpty();
        assertThat(config.pipelines()).isEmpty();
    }

    @Test
    void a_file_that_is_not_a_mapping_is_a_problem_at_the_root() {
        // when
        ConfigException failure =
                catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("- server\n", "list.yaml"));

        // then
        assertThat(failure.problems())
                .containsExactly(new ConfigProblem(
                        "(root)",
                        "expected a mapping with the keys server, storage, redis, providers, models, model_groups,"
                                + " pipelines, routes, tenants, cache, webhooks, deployments, but was a list"));
    }

    @Test
    void a_missing_file_is_a_config_problem_naming_the_file(@TempDir Path directory) {
        // given
        Path missing = directory.resolve("absent.yaml");

        // when
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));

        // then
        assertThat(failure.getMessage()).startsWith("1 problem in " + missing + ":\n  (file): cannot be read: ");
    }

    @Test
    void loads_a_file_from_disk(@TempDir Path directory) throws Exception {
        // given
        Path file = directory.resolve("pipewright.yaml");
        Files.writeString(file, "server: {port: 7070}\n");

        // when
        PipewrightConfig config = ConfigLoader.load(file);

        // then
        assertThat(config.server().port()).isEqualTo(7070);
    }
}
