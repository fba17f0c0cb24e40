package dev.pipewright.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.model.ModelCall;
import dev.pipewright.telemetry.PipelineObserver;
import dev.pipewright.testing.FakeClock;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** An executor over a scripted client and a fake clock, with a ModelCall of no interceptors. */
final class Harness {
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeClock clock = new FakeClock();
    final ScriptedModelClient client = new ScriptedModelClient();
    final InMemoryStepJournal journal = new InMemoryStepJournal();
    private final Map<String, ModelConfig> models = new ConcurrentHashMap<>();
    final PipelineExecutor executor;

    Harness() {
        this(PipelineObserver.NONE);
    }

    Harness(PipelineObserver observer) {
        ModelCall modelCall = new ModelCall(List.of(), model -> client, this::model, clock);
        executor = new PipelineExecutor(modelCall, this::model, clock, observer);
    }

    Harness model(ModelConfig model, ScriptedModelClient.Answer answer) {
        models.put(model.alias(), model);
        client.answer(model.model(), answer);
        return this;
    }

    Harness chatModel(String alias, ScriptedModelClient.Answer answer) {
        return model(Fixtures.chatModel(alias), answer);
    }

    ModelConfig model(String alias) {
        ModelConfig model = models.get(alias);
        if (model == null) {
            throw new IllegalArgumentException("unknown model alias '" + alias + "'");
        }
        return model;
    }

    RunContext context() {
        return new RunContext("req-1", "acme", Optional.empty(), journal);
    }

    PipelineResult run(PipelineConfig pipeline, String input) {
        return executor.run(pipeline, json(input), context());
    }

    CompletableFuture<PipelineResult> runAsync(PipelineConfig pipeline, String input) {
        CompletableFuture<PipelineResult> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(run(pipeline, input));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
