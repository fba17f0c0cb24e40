package dev.pipewright.config;

import static dev.pipewright.config.ConfigValidationTest.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The deployments section: candidates as full pipeline definitions, canaries, shadow, eval and recording. */
class DeploymentsConfigTest {
    private static final String BASE = """
            providers:
              sim: {kind: simulated}
            models:
              fast: {provider: sim, model: fast-1}
              other: {provider: sim, model: other-1}
            pipelines:
              answer:
                steps:
                  reply: {model: fast, prompt: "{{input.text}}"}
            """;

    @Test
    void reads_candidates_canary_shadow_eval_and_recording() {
        // when
        PipewrightConfig config = ConfigLoader.parse(BASE + """
                deployments:
                  answer:
                    sticky: header:X-User-Id
                    candidates:
                      next:
                        pipeline:
                          deadline: 5s
                          steps:
                            reply: {model: other, prompt: "Answer: {{input.text}}"}
                        canary:
                          steps: [5, 25, 100]
                          step_duration: 10m
                          min_samples: 200
                          confidence: 0.99
                          margins: {error_rate: 0.01, p95_latency: 0.1, cost_per_request: 0.05, quality: 0.02}
                    shadow: {candidate: next, share: 0.1, max_per_second: 5}
                    eval: {exact_match: 0.9, json_schema: 1.0}
                    record: {share: 0.5, retention: 72h}
                """, "t.yaml");

        // then
        DeploymentConfig deployment = config.deployments().get("answer");
        assertThat(deployment.sticky()).isEqualTo(new StickyKey.Header("x-user-id"));
        CandidateConfig next = deployment.candidates().get("next");
        assertThat(next.pipeline().name()).isEqualTo("answer");
        assertThat(next.pipeline().deadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(next.pipeline().step("reply").model()).isEqualTo("other");
        assertThat(next.weight()).isZero();
        assertThat(next.canary())
                .contains(new CanaryConfig(
                        List.of(5.0, 25.0, 100.0),
                        Duration.ofMinutes(10),
                        200,
                        0.99,
                        new CanaryMargins(0.01, 0.1, 0.05, OptionalDouble.of(0.02))));
        assertThat(deployment.shadow()).contains(new ShadowConfig("next", 0.1, 5, ShadowConfig.DEFAULT_MAX_IN_FLIGHT));
        assertThat(deployment.eval().minimums()).isEqualTo(Map.of("exact_match", 0.9, "json_schema", 1.0));
        assertThat(deployment.recording()).contains(new RecordingConfig(0.5, Duration.ofDays(3)));
    }

    @Test
    void a_fixed_weight_is_an_ab_test_sticky_by_tenant_by_default() {
        // when
        PipewrightConfig config = ConfigLoader.parse(BASE + """
                deployments:
                  answer:
                    candidates:
                      b:
                        pipeline: {steps: {reply: {model: other, prompt: "{{input.text}}"}}}
                        weight: 20
                """, "t.yaml");

        // then
        DeploymentConfig deployment = config.deployments().get("answer");
        assertThat(deployment.sticky()).isEqualTo(StickyKey.TENANT);
        assertThat(deployment.candidates().get("b").weight()).isEqualTo(20);
        assertThat(deployment.candidates().get("b").canary()).isEmpty();
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
        String candidate = "pipeline: {steps: {reply: {model: other, prompt: \"{{input.text}}\"}}}";
        return Stream.of(
                problem(
                        "a deployment of no pipeline",
                        BASE + "deployments:\n  nope:\n    candidates: {b: {" + candidate + ", weight: 5}}\n",
                        "deployments.nope",
                        "unknown pipeline 'nope'; a deployment releases a pipeline of the pipelines section, its"
                                + " stable version"),
                problem(
                        "a candidate whose definition names an unknown model",
                        BASE + "deployments:\n  answer:\n    candidates:\n      b:\n        pipeline: {steps: {reply:"
                                + " {model: nope, prompt: x}}}\n",
                        "deployments.answer.candidates.b.pipeline.steps.reply.model",
                        "unknown model 'nope'"),
                problem(
                        "a candidate named stable",
                        BASE + "deployments:\n  answer:\n    candidates: {stable: {" + candidate + "}}\n",
                        "deployments.answer.candidates.stable",
                        "'stable' names the version under pipelines; give the candidate another name"),
                problem(
                        "weights above 100%",
                        BASE + "deployments:\n  answer:\n    candidates:\n      b: {" + candidate + ", weight: 60}\n"
                                + "      c: {" + candidate + ", weight: 50}\n",
                        "deployments.answer.candidates",
                        "the candidates' weights add up to 110.0%, more than 100%"),
                problem(
                        "canary steps that do not end at 100",
                        BASE + "deployments:\n  answer:\n    candidates:\n      b: {" + candidate
                                + ", canary: {steps: [5, 50]}}\n",
                        "deployments.answer.candidates.b.canary.steps",
                        "steps must end at 100 so the canary can complete, but were [5.0, 50.0]"),
                problem(
                        "canary steps that fall",
                        BASE + "deployments:\n  answer:\n    candidates:\n      b: {" + candidate
                                + ", canary: {steps: [50, 5, 100]}}\n",
                        "deployments.answer.candidates.b.canary.steps",
                        "steps must rise strictly within (0, 100] percent, but were [50.0, 5.0, 100.0]"),
                problem(
                        "a weight beside a canary",
                        BASE + "deployments:\n  answer:\n    candidates:\n      b: {" + candidate
                                + ", weight: 5, canary: {}}\n",
                        "deployments.answer.candidates.b.weight",
                        "weight and canary exclude each other: a canary sets the weight by its steps"),
                problem(
                        "an unknown margin",
                        BASE + "deployments:\n  answer:\n    candidates:\n      b: {" + candidate
                                + ", canary: {margins: {latency: 0.1}}}\n",
                        "deployments.answer.candidates.b.canary.margins.latency",
                        UnknownKeys.message(
                                "latency", List.of("error_rate", "p95_latency", "cost_per_request", "quality"))),
                problem(
                        "a bad sticky key",
                        BASE + "deployments:\n  answer:\n    sticky: user\n    candidates: {b: {" + candidate + "}}\n",
                        "deployments.answer.sticky",
                        "'user' is not a sticky key; write tenant or header:NAME (such as header:x-user-id)"),
                problem(
                        "a shadow of an unknown candidate",
                        BASE + "deployments:\n  answer:\n    candidates: {b: {" + candidate + "}}\n"
                                + "    shadow: {candidate: c, share: 0.5}\n",
                        "deployments.answer.shadow.candidate",
                        "unknown candidate 'c'; known: b"),
                problem(
                        "a shadow share above 1",
                        BASE + "deployments:\n  answer:\n    candidates: {b: {" + candidate + "}}\n"
                                + "    shadow: {candidate: b, share: 5}\n",
                        "deployments.answer.shadow.share",
                        "share must be in (0, 1], but was 5.0"),
                problem(
                        "an unknown scorer",
                        BASE + "deployments:\n  answer:\n    candidates: {b: {" + candidate + "}}\n"
                                + "    eval: {bleu: 0.5}\n",
                        "deployments.answer.eval.bleu",
                        "'bleu' is not a scorer; use exact_match, contains, json_schema, label_accuracy,"
                                + " embedding_similarity, judge"));
    }
}
