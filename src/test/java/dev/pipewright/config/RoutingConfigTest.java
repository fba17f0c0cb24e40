package dev.pipewright.config;

import static dev.pipewright.config.ConfigValidationTest.problem;
import static dev.pipewright.config.ConfigValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The routes, model_groups and cache sections: what they read into, and each problem at its path. */
class RoutingConfigTest {
    private static final String MODELS = """
            providers:
              sim: {kind: simulated}
            models:
              fast: {provider: sim, model: fast-1, fallbacks: [slow]}
              slow: {provider: sim, model: slow-1}
              embedder: {provider: sim, model: embed-1, type: embedding}
            """;
    private static final String PIPELINES = MODELS + """
            pipelines:
              triage:
                steps:
                  label: {model: fast, prompt: "Label: {{input.text}}"}
                  vector: {model: embedder, input: "{{input.text}}"}
              technical:
                steps:
                  answer: {model: slow, prompt: "{{input.text}}"}
              general:
                steps:
                  answer: {model: fast, prompt: "{{input.text}}"}
            """;

    @Test
    void reads_routes_groups_and_cache() {
        // when
        PipewrightConfig config = ConfigLoader.parse(PIPELINES + """
                model_groups:
                  chat-pool:
                    strategy: least-busy
                    members: [{model: fast, weight: 3}, slow]
                routes: {pipeline: triage, step: label, map: {technical: technical}, default: general}
                cache: {ttl: 5m, max_entries: 100, shared_across_tenants: true}
                """, "t.yaml");

        // then
        assertThat(config.modelGroups())
                .containsExactly(Map.entry(
                        "chat-pool",
                        new ModelGroupConfig(
                                "chat-pool",
                                RoutingStrategy.LEAST_BUSY,
                                List.of(new GroupMember("fast", 3), new GroupMember("slow", 1)))));
        assertThat(config.routes())
                .hasValue(new RoutesConfig("triage", "label", Map.of("technical", "technical"), "general"));
        assertThat(config.cache()).hasValue(new CacheConfig(Duration.ofMinutes(5), 100, true, false));
    }

    @Test
    void leaves_everything_off_when_the_sections_are_absent() {
        // when
        PipewrightConfig config = ConfigLoader.parse(MODELS, "t.yaml");

        // then
        assertThat(config.modelGroups()).isEmpty();
        assertThat(config.routes()).isEmpty();
        assertThat(config.cache()).isEmpty();
    }

    @Test
    void an_empty_cache_section_turns_the_cache_on_with_defaults() {
        // when
        PipewrightConfig config = ConfigLoader.parse("cache: {}\n", "t.yaml");

        // then
        assertThat(config.cache())
                .hasValue(new CacheConfig(CacheConfig.DEFAULT_TTL, CacheConfig.DEFAULT_MAX_ENTRIES, false, false));
    }

    @ParameterizedTest
    @MethodSource
    void reports_each_problem_at_its_path(String yaml, List<ConfigProblem> expected) {
        // when
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "t.yaml"));

        // then
        assertThat(failure).as("a ConfigException").isNotNull();
        assertThat(failure.problems()).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> reports_each_problem_at_its_path() {
        return Stream.of(
                problem(
                        "a member that is not a model",
                        MODELS + "model_groups:\n  pool: {members: [fast, nope]}\n",
                        "model_groups.pool.members[1]",
                        "unknown model 'nope'"),
                problem(
                        "a member mapping that names no model",
                        MODELS + "model_groups:\n  pool: {members: [{model: nope, weight: 2}]}\n",
                        "model_groups.pool.members[0].model",
                        "unknown model 'nope'"),
                problem(
                        "an empty group",
                        MODELS + "model_groups:\n  pool: {strategy: weighted, members: []}\n",
                        "model_groups.pool.members",
                        "a group needs at least one member"),
                problem(
                        "a group without members",
                        MODELS + "model_groups:\n  pool: {strategy: weighted}\n",
                        "model_groups.pool.members",
                        "required key is missing"),
                problem(
                        "a zero weight",
                        MODELS + "model_groups:\n  pool: {members: [{model: fast, weight: 0}]}\n",
                        "model_groups.pool.members[0].weight",
                        "must be at least 1, but was 0"),
                problem(
                        "a fractional weight",
                        MODELS + "model_groups:\n  pool: {members: [{model: fast, weight: 0.5}]}\n",
                        "model_groups.pool.members[0].weight",
                        "expected a whole number, but was 0.5"),
                problem(
                        "a group named like a model alias",
                        MODELS + "model_groups:\n  fast: {members: [slow]}\n",
                        "model_groups.fast",
                        "'fast' is already a model alias; a group needs a name of its own"),
                problem(
                        "a member listed twice",
                        MODELS + "model_groups:\n  pool: {members: [fast, fast]}\n",
                        "model_groups.pool.members[1]",
                        "'fast' is listed twice"),
                problem(
                        "chat and embedding models in one group",
                        MODELS + "model_groups:\n  pool: {members: [fast, embedder]}\n",
                        "model_groups.pool.members",
                        "mixes chat and embedding models; a group's members must all be of one type"),
                problem(
                        "an unknown strategy",
                        MODELS + "model_groups:\n  pool: {strategy: fastest, members: [fast]}\n",
                        "model_groups.pool.strategy",
                        "'fastest' is not one of weighted, least-busy, lowest-latency, cheapest-healthy"),
                problems(
                        "routes to pipelines that do not exist",
                        PIPELINES + "routes: {pipeline: nope, step: label, map: {a: gone}, default: also-gone}\n",
                        new ConfigProblem("routes.pipeline", "unknown pipeline 'nope'"),
                        new ConfigProblem("routes.map.a", "unknown pipeline 'gone'"),
                        new ConfigProblem("routes.default", "unknown pipeline 'also-gone'")),
                problem(
                        "a route step the router pipeline lacks",
                        PIPELINES + "routes: {pipeline: triage, step: nope, map: {a: general}, default: general}\n",
                        "routes.step",
                        "pipeline 'triage' has no step 'nope'"),
                problem(
                        "a route step whose output is not text",
                        PIPELINES + "routes: {pipeline: triage, step: vector, map: {a: general}, default: general}\n",
                        "routes.step",
                        "step 'vector' runs an embedding model; the label must be a chat step's text"),
                problem(
                        "routes without a default",
                        PIPELINES + "routes: {pipeline: triage, step: label, map: {a: general}}\n",
                        "routes.default",
                        "required key is missing"),
                problem(
                        "a shared cache without Redis",
                        "cache: {redis: true}\n",
                        "cache.redis",
                        "a shared cache needs Redis; set redis.url"),
                problem(
                        "a cache that keeps nothing",
                        "cache: {max_entries: 0}\n",
                        "cache.max_entries",
                        "must be at least 1, but was 0"),
                problem(
                        "a zero time to live",
                        "cache: {ttl: 0s}\n",
                        "cache.ttl",
                        "ttl must be positive, but was PT0S"));
    }
}
