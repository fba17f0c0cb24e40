package dev.pipewright.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.JobRunListener;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.router.Variant;
import dev.pipewright.store.Database;
import dev.pipewright.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A replica of the release side on the simulator and a fake clock: requests run in turn, each advancing the clock by
 * its simulated latency, so minutes of canary schedule pass in milliseconds.
 */
final class ReleaseHarness implements AutoCloseable {
    final FakeClock clock;
    final PipewrightConfig config;
    final Database database;
    final PipelineExecutor executor;
    final Releases releases;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger requests = new AtomicInteger();

    ReleaseHarness(String yaml, String databaseUrl, FakeClock clock) {
        this(yaml, databaseUrl, clock, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    }

    /** With shadow runs handed to {@code shadowThreads}. */
    ReleaseHarness(
            String yaml, String databaseUrl, FakeClock clock, java.util.concurrent.ExecutorService shadowThreads) {
        this(yaml, databaseUrl, clock, shadowThreads, UnaryOperator.identity());
    }

    /** With shadow runs handed to {@code shadowThreads}, and the simulator seen through {@code models}. */
    ReleaseHarness(
            String yaml,
            String databaseUrl,
            FakeClock clock,
            java.util.concurrent.ExecutorService shadowThreads,
            UnaryOperator<ModelClient> models) {
        this.clock = clock;
        this.config = ConfigLoader.parse(yaml, "test.yaml");
        this.database = Database.open(new StorageConfig(databaseUrl));
        Map<String, SimulationConfig> profiles = new LinkedHashMap<>();
        config.models().values().forEach(model -> profiles.put(model.model(), model.simulation()));
        ModelClient client =
                models.apply(new SimulatedModelClient(SimulationProfiles.of(profiles), clock, new SplittableRandom(7)));
        ModelCall modelCall = new ModelCall(List.of(), (ModelConfig model) -> client, config::model, clock);
        this.executor = new PipelineExecutor(modelCall, config::model, clock);
        this.releases = new Releases(
                ReleaseStore.open(database),
                () -> config,
                executor,
                registry,
                clock,
                new SplittableRandom(11),
                shadowThreads);
    }

    /** Serves one request of {@code user} to {@code pipeline} as the gateway would; returns the variant's name. */
    String serve(String pipeline, String user) {
        Variant variant = releases.choose(config.pipelines().get(pipeline), "acme", header -> Optional.of(user));
        String requestId = "req-" + requests.incrementAndGet();
        Outcome outcome = run(variant, requestId, user);
        releases.served(new ServedRun(
                variant,
                outcome.version(),
                "acme",
                requestId,
                outcome.input(),
                outcome.results(),
                outcome.latency(),
                outcome.costUsd()));
        return variant.name();
    }

    /**
     * Runs one job of {@code user} to {@code pipeline} as a worker would: the variant chosen at submit, the run told to
     * releases as a job run; returns the variant's name.
     */
    String runJob(String pipeline, String user) {
        Variant variant = releases.choose(config.pipelines().get(pipeline), "acme", header -> Optional.of(user));
        String jobId = "job-" + requests.incrementAndGet();
        Outcome outcome = run(variant, jobId, user);
        releases.finished(new JobRunListener.Run(
                jobId,
                "acme",
                outcome.input(),
                variant.name(),
                variant.pipeline(),
                outcome.version(),
                outcome.results(),
                outcome.latency(),
                outcome.costUsd()));
        return variant.name();
    }

    private record Outcome(
            String version, JsonNode input, Optional<JsonNode> results, Duration latency, BigDecimal costUsd) {}

    private Outcome run(Variant variant, String id, String user) {
        String version = PipelineVersion.of(variant.pipeline(), config::model);
        JsonNode input = JsonNodeFactory.instance.objectNode().put("text", "question of " + user);
        RunContext context = RunContext.of(id, "acme").withVariant(variant.name());
        try {
            PipelineResult result = executor.run(variant.pipeline(), input, context);
            return new Outcome(
                    version,
                    input,
                    Optional.of(PipelineResultJson.results(result)),
                    result.latency(),
                    result.costUsd());
        } catch (PipelineFailedException e) {
            return new Outcome(
                    version,
                    input,
                    Optional.empty(),
                    e.partial().latency(),
                    e.partial().costUsd());
        }
    }

    /** The request id of the latest {@link #serve}. */
    String lastRequestId() {
        return "req-" + requests.get();
    }

    JsonNode deployment(String name) {
        return releases.control().show(name).orElseThrow();
    }

    @Override
    public void close() {
        releases.close();
        database.close();
    }
}
