package dev.pipewright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per kind of problem between parts of a file: references, cycles, model types, pinning. */
class ConfigReferencesTest {
    private static final String MODELS = """
            providers:
              sim: {kind: simulated}
              local: {kind: local}
            models:
              chat: {provider: sim, model: chat-2025-01-01}
              embed: {provider: sim, model: embed-2025-01-01, type: embedding}
            """;

    @ParameterizedTest
    @MethodSource({"modelReferences", "stepReferences", "templates"})
    void reports_each_problem_at_its_path(String yaml, List<ConfigProblem> expected) {
        // when
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "t.yaml"));

        // then
        assertThat(failure).as("a ConfigException").isNotNull();
        assertThat(failure.problems()).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> modelReferences() {
        return Stream.of(
                problem(
                        "a model on an unknown provider",
                        "providers:\n  openai: {kind: openai, api_key_env: K}\n"
                                + "models:\n  m: {provider: openia, model: m-1}\n",
                        "models.m.provider",
                        "unknown provider 'openia'"),
                problem(
                        "an unknown fallback",
                        models("  a: {provider: sim, model: a-1, fallbacks: [chat, nope]}\n"),
                        "models.a.fallbacks[1]",
                        "unknown model 'nope'"),
                problem(
                        "a model falling back to itself",
                        models("  a: {provider: sim, model: a-1, fallbacks: [a]}\n"),
                        "models.a.fallbacks[0]",
                        "a model cannot fall back to itself"),
                problem(
                        "a fallback listed twice",
                        models("  a: {provider: sim, model: a-1, fallbacks: [chat, chat]}\n"),
                        "models.a.fallbacks[1]",
                        "'chat' is listed twice"),
                problem(
                        "a fallback cycle",
                        models("  a: {provider: sim, model: a-1, fallbacks: [b]}\n"
                                + "  b: {provider: sim, model: b-1, fallbacks: [c]}\n"
                                + "  c: {provider: sim, model: c-1, fallbacks: [a]}\n"),
                        "models.a.fallbacks",
                        "fallback cycle: a -> b -> c -> a"),
                problem(
                        "a chat model falling back to an embedding model",
                        models("  a: {provider: sim, model: a-1, fallbacks: [embed]}\n"),
                        "models.a.fallbacks[0]",
                        "'embed' is an embedding model; a chat model can only fall back to chat models"),
                problem(
                        "an embedding model falling back to a chat model",
                        models("  e: {provider: sim, model: e-1, type: embedding, fallbacks: [chat]}\n"),
                        "models.e.fallbacks[0]",
                        "'chat' is a chat model; an embedding model can only fall back to embedding models"),
                problem(
                        "a simulation for a model that is not simulated",
                        models("  l: {provider: local, model: all-minilm-l6-v2, simulation: {latency: 5ms}}\n"),
                        "models.l.simulation",
                        "only a model on a simulated provider can be simulated, but 'local' is local"),
                problem(
                        "an embedding model on a provider that has none",
                        "providers:\n  claude: {kind: anthropic, api_key_env: ANTHROPIC_API_KEY}\n"
                                + "models:\n  e: {provider: claude, model: e-1, type: embedding,"
                                + " price: {input_per_mtok: 1, output_per_mtok: 1}}\n",
                        "models.e.type",
                        "provider 'claude' is anthropic, which serves no embedding models"),
                problem(
                        "a model on a billed API without a price, not in the shipped price table",
                        "providers:\n  openai: {kind: openai, api_key_env: OPENAI_API_KEY}\n"
                                + "models:\n  m: {provider: openai, model: gpt-9-2031-01-01}\n",
                        "models.m.price",
                        "is required: 'gpt-9-2031-01-01' is not in the shipped price table (as of "
                                + PriceTable.shipped().asOf() + "); set input_per_mtok and output_per_mtok"),
                problem(
                        "a floating model alias",
                        models("  classifier: {provider: sim, model: gpt-4o}\n"),
                        "models.classifier.model",
                        "'gpt-4o' is a floating alias; pin a dated snapshot such as 'gpt-4o-2024-11-20'"),
                problem(
                        "a floating Ollama tag",
                        models("  llama: {provider: sim, model: \"llama3.1:latest\"}\n"),
                        "models.llama.model",
                        "'llama3.1:latest' is a floating tag; pin a fixed tag or digest of the model"));
    }

    static Stream<Arguments> stepReferences() {
        return Stream.of(
                problem(
                        "a step on an unknown model",
                        pipeline("      s: {model: chatt, prompt: x}\n"),
                        "pipelines.p.steps.s.model",
                        "unknown model 'chatt'"),
                problem(
                        "a need that is no step",
                        MODELS + "pipelines:\n  analyze:\n    steps:\n"
                                + "      classify: {model: chat, prompt: x}\n"
                                + "      analysis: {model: chat, needs: [clasify], prompt: x}\n",
                        "pipelines.analyze.steps.analysis.needs[0]",
                        "unknown step 'clasify'"),
                problem(
                        "a step needing itself",
                        pipeline("      s: {model: chat, prompt: x, needs: [s]}\n"),
                        "pipelines.p.steps.s.needs[0]",
                        "a step cannot need itself"),
                problem(
                        "a cycle of needs, named along the cycle",
                        pipeline("      a: {model: chat, prompt: x, needs: [b]}\n"
                                + "      b: {model: chat, prompt: x, needs: [c]}\n"
                                + "      c: {model: chat, prompt: x, needs: [a]}\n"),
                        "pipelines.p.steps.a.needs",
                        "needs form a cycle: a -> b -> c -> a"),
                problem(
                        "an output naming no step",
                        pipeline("      s: {model: chat, prompt: x}\n") + "    output: {result: nope}\n",
                        "pipelines.p.output.result",
                        "unknown step 'nope'"),
                problem(
                        "a chat step without a prompt",
                        pipeline("      s: {model: chat, system: be brief}\n"),
                        "pipelines.p.steps.s.prompt",
                        "required for a step on chat model 'chat'"),
                problem(
                        "a chat step given an input",
                        pipeline("      s: {model: chat, prompt: x, input: y}\n"),
                        "pipelines.p.steps.s.input",
                        "not used by a step on chat model 'chat', which takes prompt"),
                problems(
                        "an embedding step with a prompt and an image instead of an input",
                        pipeline("      s: {model: embed, prompt: x, image: \"{{input.image}}\"}\n"),
                        new ConfigProblem(
                                "pipelines.p.steps.s.input", "required for a step on embedding model 'embed'"),
                        new ConfigProblem(
                                "pipelines.p.steps.s.prompt",
                                "not used by a step on embedding model 'embed', which takes input"),
                        new ConfigProblem(
                                "pipelines.p.steps.s.image",
                                "not used by a step on embedding model 'embed', which takes input")));
    }

    static Stream<Arguments> templates() {
        return Stream.of(
                problem(
                        "a prompt using a step it does not need",
                        pipeline("      a: {model: chat, prompt: x}\n"
                                + "      b: {model: chat, prompt: \"Go on from {{steps.a.text}}\"}\n"),
                        "pipelines.p.steps.b.prompt",
                        "references steps.a, but 'a' is not among the steps it needs, so it may not have run; add it"
                                + " to needs"),
                problem(
                        "an input using an unknown step",
                        pipeline("      e: {model: embed, input: \"{{ steps.zzz.text }}\"}\n"),
                        "pipelines.p.steps.e.input",
                        "references unknown step 'zzz'"),
                problem(
                        "a condition using a step it does not need",
                        pipeline("      a: {model: chat, prompt: x}\n"
                                + "      b: {model: chat, prompt: y, when: \"steps.a.text == 'legal'\"}\n"),
                        "pipelines.p.steps.b.when",
                        "references steps.a, but 'a' is not among the steps it needs, so it may not have run; add it"
                                + " to needs"),
                problem(
                        "a prompt using its own output",
                        pipeline("      a: {model: chat, prompt: \"{{steps.a.text}}\"}\n"),
                        "pipelines.p.steps.a.prompt",
                        "references its own output, steps.a"));
    }

    @Test
    void a_template_may_use_any_step_it_needs_through_others() {
        // given
        String yaml = pipeline("      a: {model: chat, prompt: x}\n"
                + "      b: {model: chat, prompt: y, needs: [a]}\n"
                + "      c: {model: chat, needs: [b], prompt: \"{{steps.a.text}} then {{steps.b.text}}\"}\n"
                + "      d: {model: chat, prompt: \"mentions steps.a outside a template\"}\n");

        // when
        PipewrightConfig config = ConfigLoader.parse(yaml, "t.yaml");

        // then
        assertThat(config.pipelines().get("p").step("c").needs()).containsExactly("b");
    }

    @Test
    void every_problem_of_a_broken_model_is_reported_without_inventing_problems_where_it_is_used() {
        // given
        String yaml = models("  broken: {provider: sim, model: b-1, timeout: soon}\n")
                + "pipelines:\n  p:\n    steps:\n      s: {model: broken, prompt: x}\n";

        // when
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "t.yaml"));

        // then
        assertThat(failure.problems()).extracting(ConfigProblem::path).containsExactly("models.broken.timeout");
    }

    private static String models(String moreModels) {
        return MODELS + moreModels;
    }

    private static String pipeline(String steps) {
        return MODELS + "pipelines:\n  p:\n    steps:\n" + steps;
    }

    static Arguments problem(String name, String yaml, String path, String message) {
        return problems(name, yaml, new ConfigProblem(path, message));
    }

    static Arguments problems(String name, String yaml, ConfigProblem... expected) {
        return argumentSet(name, yaml, List.of(expected));
    }
}
