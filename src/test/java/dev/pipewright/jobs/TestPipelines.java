package dev.pipewright.jobs;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.pipeline.PipelineExecutor;
import java.util.List;

/**
 * Pipelines for the worker tests: {@code chain} runs one → two → three on the models first, second and third;
 * {@code fanout} runs split, then embed ‖ analyze, then aggregate; {@code versioned} is deployed, its stable version
 * on first and its candidate {@code next} on second. Provider models are the aliases with
 * {@code -2025-01-01}; every call goes to one client, with no resilience links (retries are the job's concern here).
 */
final class TestPipelines {
    static final String YAML = """
            providers:
              fake: {kind: simulated}
            models:
              first: {provider: fake, model: first-2025-01-01, timeout: 60s}
              second: {provider: fake, model: second-2025-01-01, timeout: 60s}
              third: {provider: fake, model: third-2025-01-01, timeout: 60s}
              embedder: {provider: fake, model: embedder-2025-01-01, type: embedding, timeout: 60s}
            pipelines:
              chain:
                deadline: 60s
                steps:
                  one: {model: first, prompt: "one {{input.text}}"}
                  two: {model: second, needs: [one], prompt: "two {{steps.one.text}}"}
                  three: {model: third, needs: [two], prompt: "three {{steps.two.text}}"}
                output: {result: three}
              fanout:
                deadline: 60s
                steps:
                  split: {model: first, prompt: "split {{input.text}}"}
                  embed: {model: embedder, needs: [split], input: "{{steps.split.text}}"}
                  analyze: {model: second, needs: [split], prompt: "analyze {{steps.split.text}}"}
                  aggregate: {model: third, needs: [embed, analyze], prompt: "aggregate {{steps.analyze.text}}"}
                output: {analysis: aggregate, embedding: embed}
              versioned:
                deadline: 60s
                steps:
                  reply: {model: first, prompt: "reply {{input.text}}"}
            deployments:
              versioned:
                candidates:
                  next:
                    pipeline:
                      deadline: 60s
                      steps:
                        reply: {model: second, prompt: "answer {{input.text}}"}
                    weight: 50
            """;

    static final String FIRST = "first-2025-01-01";
    static final String SECOND = "second-2025-01-01";
    static final String THIRD = "third-2025-01-01";

    private TestPipelines() {}

    static PipewrightConfig config() {
        return ConfigLoader.parse(YAML, "test-pipelines.yaml");
    }

    static PipelineExecutor executor(PipewrightConfig config, ModelClient client, Clock clock) {
        ModelCall modelCall = new ModelCall(List.of(), model -> client, config::model, clock);
        return new PipelineExecutor(modelCall, config::model, clock);
    }
}
