package dev.pipewright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per kind of problem in the values of a file: keys, types, durations, prices, numbers, enums. */
class ConfigValidationTest {
    private static final String SIMULATED = """
            providers:
              sim: {kind: simulated}
            """;
    private static final String DURATION_FORMS =
            "is not a duration; write a number and a unit (ms, s, m, h) such as 250ms, 10s, 1.5s, 5m or 1h";

    @ParameterizedTest
    @MethodSource({"unknownKeys", "missingKeys", "wrongTypes", "badValues", "recordRules", "endpointsAndTenants"})
    void reports_each_problem_at_its_path(String yaml, List<ConfigProblem> expected) {
        // when
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "t.yaml"));

        // then
        assertThat(failure).as("a ConfigException").isNotNull();
        assertThat(failure.problems()).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                problem(
                        "an unknown top-level key, with the likely one",
                        "servr: {port: 1}\n",
                        "servr",
                        "unknown key (did you mean 'server'?); allowed keys: server, storage, redis, providers, models,"
                                + " model_groups, pipelines, routes, tenants, cache, webhooks, deployments"),
                problem(
                        "an unknown model key",
                        SIMULATED + "models:\n  m: {provider: sim, model: m-1, timout: 1s}\n",
                        "models.m.timout",
                        "unknown key (did you mean 'timeout'?); allowed keys: provider, model, type, price, timeout,"
                                + " retry, circuit, fallbacks, context_window, simulation, stream"),
                problem(
                        "an unknown key in a nested block",
                        SIMULATED + "models:\n  m: {provider: sim, model: m-1, retry: {attempts: 2, backoff: 1s}}\n",
                        "models.m.retry.backoff",
                        "unknown key; allowed keys: attempts, base_delay, max_delay"),
                problems(
                        "an unknown step key, which leaves the step without its prompt",
                        SIMULATED + "models:\n  chat: {provider: sim, model: c-1}\n"
                                + "pipelines:\n  p:\n    steps:\n      s: {model: chat, promt: hi}\n",
                        new ConfigProblem(
                                "pipelines.p.steps.s.promt",
                                "unknown key (did you mean 'prompt'?); allowed keys: model, needs, system, prompt,"
                                        + " input, image, when, optional, max_tokens, temperature"),
                        new ConfigProblem("pipelines.p.steps.s.prompt", "required for a step on chat model 'chat'")));
    }

    static Stream<Arguments> missingKeys() {
        return Stream.of(
                problem(
                        "a model without a provider",
                        SIMULATED + "models:\n  m: {model: m-1}\n",
                        "models.m.provider",
                        "required key is missing"),
                problem(
                        "a provider without a kind",
                        "providers:\n  p: {api_key_env: KEY}\n",
                        "providers.p.kind",
                        "required key is missing"),
                problem(
                        "a pipeline without steps",
                        "pipelines:\n  p: {deadline: 5s}\n",
                        "pipelines.p.steps",
                        "required key is missing"),
                problem(
                        "a pipeline with no steps at all",
                        "pipelines:\n  p: {steps: {}}\n",
                        "pipelines.p.steps",
                        "a pipeline needs at least one step"),
                problem("a model given no value", SIMULATED + "models:\n  m:\n", "models.m", "required key is missing"),
                problem(
                        "a price without its output price",
                        SIMULATED + "models:\n  m: {provider: sim, model: m-1, price: {input_per_mtok: 1}}\n",
                        "models.m.price.output_per_mtok",
                        "required key is missing"),
                problem(
                        "a tenant without keys",
                        "tenants:\n  acme: {rpm: 10}\n",
                        "tenants.acme.api_keys",
                        "required key is missing"));
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                problem(
                        "text for a number",
                        "server: {port: eighty}\n",
                        "server.port",
                        "expected a whole number, but was 'eighty'"),
                problem(
                        "a fraction for a whole number",
                        SIMULATED + "models:\n  m: {provider: sim, model: m-1, retry: {attempts: 2.5}}\n",
                        "models.m.retry.attempts",
                        "expected a whole number, but was 2.5"),
                problem(
                        "a list for a mapping of names",
                        "models: [a, b]\n",
                        "models",
                        "expected a mapping of model aliases to {provider, model, ...}, but was a list"),
                problem(
                        "a number for a block",
                        SIMULATED + "models:\n  m: {provider: sim, model: m-1, retry: 3}\n",
                        "models.m.retry",
                        "expected a mapping with the keys attempts, base_delay, max_delay, but was 3"),
                problem(
                        "a string for a list",
                        SIMULATED + "models:\n  c: {provider: sim, model: c-1}\n"
                                + "pipelines:\n  p:\n    steps:\n      a: {model: c, prompt: x}\n"
                                + "      b: {model: c, prompt: x, needs: a}\n",
                        "pipelines.p.steps.b.needs",
                        "expected a list, but was 'a'"),
                problem(
                        "a word for a boolean",
                        SIMULATED + "models:\n  c: {provider: sim, model: c-1}\n"
                                + "pipelines:\n  p:\n    steps:\n      a: {model: c, prompt: x, optional: maybe}\n",
                        "pipelines.p.steps.a.optional",
                        "expected true or false, but was 'maybe'"),
                problem(
                        "an empty model name",
                        SIMULATED + "models:\n  m: {provider: sim, model: \" \"}\n",
                        "models.m.model",
                        "must not be empty"),
                problem(
                        "a list for text",
                        SIMULATED + "models:\n  m: {provider: sim, model: [m-1]}\n",
                        "models.m.model",
                        "expected a string, but was a list"));
    }

    static Stream<Arguments> badValues() {
        String model = SIMULATED + "models:\n  m: {provider: sim, model: m-1, %s}\n";
        return Stream.of(
                problem(
                        "a duration in words",
                        model.formatted("timeout: 10 seconds"),
                        "models.m.timeout",
                        "'10 seconds' " + DURATION_FORMS),
                problem(
                        "a negative duration",
                        model.formatted("timeout: -1s"),
                        "models.m.timeout",
                        "'-1s' " + DURATION_FORMS),
                problem(
                        "a duration without unit",
                        model.formatted("timeout: 10"),
                        "models.m.timeout",
                        "10 has no unit; write it with one, such as 10s or 10ms"),
                problem(
                        "a price in words",
                        model.formatted("price: {input_per_mtok: three, output_per_mtok: 1}"),
                        "models.m.price.input_per_mtok",
                        "'three' is not an amount; write a non-negative number such as 3.00"),
                problem(
                        "a negative price",
                        model.formatted("price: {input_per_mtok: 1, output_per_mtok: -1.5}"),
                        "models.m.price.output_per_mtok",
                        "must not be negative, but was -1.5"),
                problem(
                        "a zero context window",
                        model.formatted("context_window: 0"),
                        "models.m.context_window",
                        "must be at least 1, but was 0"),
                problem(
                        "a number too large",
                        "tenants:\n  t: {api_keys: [\"sha256:" + "a".repeat(64) + "\"], rpm: 99999999999}\n",
                        "tenants.t.rpm",
                        "99999999999 is too large; the largest allowed is 2147483647"),
                problem(
                        "an unknown model type",
                        model.formatted("type: image"),
                        "models.m.type",
                        "'image' is not one of chat, embedding"),
                problem(
                        "an unknown provider kind",
                        "providers:\n  p: {kind: gemini}\n",
                        "providers.p.kind",
                        "'gemini' is not one of openai, anthropic, local, simulated"),
                problem(
                        "an unknown fault",
                        model.formatted("simulation: {fault: explode, fault_rate: 1}"),
                        "models.m.simulation.fault",
                        "'explode' is not one of rate-limit, server-error, overloaded, connection-reset, no-answer,"
                                + " slow-first-token, stream-cut, stream-stall, malformed-chunk, context-length,"
                                + " content-filter"),
                problem(
                        "a fault rate without a fault",
                        model.formatted("simulation: {fault_rate: 0.5}"),
                        "models.m.simulation.fault_rate",
                        "has no fault to inject; name one with fault"),
                problem(
                        "a temperature out of range",
                        SIMULATED + "models:\n  c: {provider: sim, model: c-1}\n"
                                + "pipelines:\n  p:\n    steps:\n      a: {model: c, prompt: x, temperature: 3}\n",
                        "pipelines.p.steps.a.temperature",
                        "must be between 0 and 2.0, but was 3.0"),
                problem(
                        "a zero deadline",
                        SIMULATED + "models:\n  c: {provider: sim, model: c-1}\n"
                                + "pipelines:\n  p:\n    deadline: 0s\n    steps:\n      a: {model: c, prompt: x}\n",
                        "pipelines.p.deadline",
                        "must be longer than 0"),
                problem(
                        "a step name templates cannot refer to",
                        SIMULATED + "models:\n  c: {provider: sim, model: c-1}\n"
                                + "pipelines:\n  p:\n    steps:\n      1st: {model: c, prompt: x}\n",
                        "pipelines.p.steps.1st",
                        "'1st' is not a usable step name; start with a letter or '_', then use letters, digits, '_'"
                                + " or '-', so templates can use steps.NAME"),
                problem(
                        "a provider name with a space",
                        "providers:\n  \"my provider\": {kind: simulated}\n",
                        "providers[\"my provider\"]",
                        "'my provider' is not a usable name; start with a letter or digit, then use letters, digits,"
                                + " '.', '_' or '-'"));
    }

    /** The records' own rules, reported at the key the rule is about when the file gives that key. */
    static Stream<Arguments> recordRules() {
        String model = SIMULATED + "models:\n  m: {provider: sim, model: m-1, %s}\n";
        return Stream.of(
                problem(
                        "no attempts",
                        model.formatted("retry: {attempts: 0}"),
                        "models.m.retry.attempts",
                        "attempts must be at least 1, but was 0"),
                problem(
                        "a maximum delay below the base delay",
                        model.formatted("retry: {base_delay: 1s, max_delay: 100ms}"),
                        "models.m.retry.max_delay",
                        "max_delay must be at least base_delay, but was PT0.1S < PT1S"),
                problem(
                        "a failure rate above one",
                        model.formatted("circuit: {failure_rate: 1.5}"),
                        "models.m.circuit.failure_rate",
                        "failure_rate must be in (0, 1], but was 1.5"),
                problem(
                        "a rule about a key the file leaves to its default",
                        model.formatted("circuit: {min_calls: 30}"),
                        "models.m.circuit",
                        "window must be at least min_calls (>= 1), but was 20 < 30"),
                problem(
                        "no probes, reported at probes although the record checks it with open_for",
                        model.formatted("circuit: {open_for: 10s, probes: 0}"),
                        "models.m.circuit.probes",
                        "must be at least 1, but was 0"),
                problem(
                        "no dimensions, reported at dimensions although the record checks it with output_tokens",
                        model.formatted("simulation: {output_tokens: 5, dimensions: 0}"),
                        "models.m.simulation.dimensions",
                        "must be at least 1, but was 0"),
                problem(
                        "a zero timeout",
                        model.formatted("timeout: 0s"),
                        "models.m.timeout",
                        "timeout must be positive, but was PT0S"),
                problem(
                        "a port out of range",
                        "server: {port: 70000}\n",
                        "server.port",
                        "port must be between 0 and 65535, but was 70000"));
    }

    static Stream<Arguments> endpointsAndTenants() {
        String hash = "\"sha256:" + "a".repeat(64) + "\"";
        return Stream.of(
                problem(
                        "a stream timeout that is not positive",
                        SIMULATED + "models:\n  m: {provider: sim, model: m-1, stream: {idle_timeout: 0s}}\n",
                        "models.m.stream.idle_timeout",
                        "idle_timeout must be positive, but was PT0S"),
                problem(
                        "in-process model settings on a provider that has none",
                        "providers:\n  sim: {kind: simulated, summarizer: {sentences: 2}}\n",
                        "providers.sim.summarizer",
                        "only a local provider has in-process models to set up"),
                problem(
                        "a classifier with a single class",
                        "providers:\n  local: {kind: local, classifier: {labels: {only: \"The one class.\"}}}\n",
                        "providers.local",
                        "labels must name at least 2 classes, but named only [only]"),
                problem(
                        "an unknown summariser key",
                        "providers:\n  local: {kind: local, summarizer: {sentence: 2}}\n",
                        "providers.local.summarizer.sentence",
                        "unknown key (did you mean 'sentences'?); allowed keys: sentences"),
                problem(
                        "an unsupported database",
                        "storage: {url: \"jdbc:mysql://db/pw?password=secret\"}\n",
                        "storage.url",
                        "'jdbc:mysql:…' is not a supported database; use a JDBC URL starting jdbc:sqlite: or"
                                + " jdbc:postgresql:"),
                problem(
                        "a Redis URL of another scheme",
                        "redis: {url: \"http://user:secret@cache:6379\"}\n",
                        "redis.url",
                        "'http:…' is not a Redis URL; write redis://HOST:PORT or rediss://HOST:PORT"),
                problem(
                        "a relative base URL",
                        "providers:\n  vllm: {kind: openai, base_url: \"localhost:8000/v1\"}\n",
                        "providers.vllm.base_url",
                        "'localhost:8000/v1' is not an absolute http(s) URL such as https://llm.internal:8000/v1"),
                problem(
                        "a key where the name of its variable belongs, not quoted back",
                        "providers:\n  openai: {kind: openai, api_key_env: \"sk-proj-123\"}\n",
                        "providers.openai.api_key_env",
                        "is not an environment variable name; give the name of the variable that holds the key, such"
                                + " as OPENAI_API_KEY, never the key itself"),
                problem(
                        "a public API without a key",
                        "providers:\n  openai: {kind: openai}\n",
                        "providers.openai.api_key_env",
                        "required for the public openai API"),
                problem(
                        "an endpoint for an in-process provider",
                        "providers:\n  sim: {kind: simulated, base_url: \"http://x\"}\n",
                        "providers.sim.base_url",
                        "not used by a simulated provider, which runs in-process; for an OpenAI-compatible server"
                                + " use kind: openai"),
                problem(
                        "a plain key, not quoted back",
                        "tenants:\n  t: {api_keys: [\"pw-live-abc\"]}\n",
                        "tenants.t.api_keys[0]",
                        "is not a key hash; write 'sha256:' and the 64 hex digits of the key's SHA-256, never the"
                                + " key itself"),
                problem(
                        "a plain key for the list of key hashes, not quoted back",
                        "tenants:\n  t: {api_keys: \"pw-live-abc\"}\n",
                        "tenants.t.api_keys",
                        "expected a list, but was a string"),
                problem(
                        "a tenant with an empty list of keys",
                        "tenants:\n  t: {api_keys: []}\n",
                        "tenants.t.api_keys",
                        "a tenant needs at least one key"),
                problem(
                        "one key for two tenants",
                        "tenants:\n  a: {api_keys: [" + hash + "]}\n  b: {api_keys: [" + hash + "]}\n",
                        "tenants.b.api_keys[0]",
                        "the same key is already given to tenant 'a'"),
                problem(
                        "a negative budget",
                        "tenants:\n  t: {api_keys: [" + hash + "], budget: {daily_usd: -5}}\n",
                        "tenants.t.budget.daily_usd",
                        "must not be negative, but was -5"));
    }

    static Arguments problem(String name, String yaml, String path, String message) {
        return problems(name, yaml, new ConfigProblem(path, message));
    }

    static Arguments problems(String name, String yaml, ConfigProblem... expected) {
        return argumentSet(name, yaml, List.of(expected));
    }
}
