import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.release.Releases;
import dev.pipewright.release.ServedRun;
import dev.pipewright.router.Variant;
import dev.pipewright.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The caller's latency of a deployed pipeline with every run mirrored to a shadow candidate, beside the same pipeline
 * with no shadow, in alternating rounds of one run: the caller's path is choose → run → served, as in the gateway.
 * Arguments: requests per round (default 2000), rounds per mode (default 4), concurrency (default 16).
 */
public class ShadowLatency {
    private static final String CONFIG = """
            storage: {url: "jdbc:sqlite:%s"}
            providers: {sim: {kind: simulated}}
            models:
              fast: {provider: sim, model: sim-fast-2025-01-01, price: {input_per_mtok: 1, output_per_mtok: 2}, simulation: {latency: 20ms, jitter: 2ms}}
              slow: {provider: sim, model: sim-slow-2025-01-01, price: {input_per_mtok: 3, output_per_mtok: 6}, simulation: {latency: 60ms, jitter: 6ms}}
            pipelines:
              answer:
                steps:
                  reply: {model: fast, prompt: "Answer: {{input.text}}"}
            deployments:
              answer:
                candidates:
                  next: {pipeline: {steps: {reply: {model: slow, prompt: "Answer: {{input.text}}"}}}}
            %s
            """;

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path dir = Files.createTempDirectory("pipewright-shadow-bench");
        Mode off = new Mode("no shadow", dir.resolve("off.db"), "");
        Mode on = new Mode(
                "shadow 100%", dir.resolve("on.db"),
                "    shadow: {candidate: next, share: 1.0, max_per_second: 100000, max_in_flight: 256}");
        try (off; on) {
            off.round(200, concurrency);
            on.round(200, concurrency);
            List<Long> offSamples = new ArrayList<>();
            List<Long> onSamples = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                offSamples.addAll(off.round(perRound, concurrency));
                onSamples.addAll(on.round(perRound, concurrency));
            }
            System.out.printf("%d requests per mode, %d at a time, stable 20 ms model, shadow candidate 60 ms model%n",
                    perRound * rounds, concurrency);
            System.out.printf("%-12s %9s %9s %9s %9s %14s%n", "mode", "p50 ms", "p95 ms", "p99 ms", "mean ms", "shadow runs");
            print(off, offSamples);
            print(on, onSamples);
        }
    }

    private static void print(Mode mode, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        System.out.printf("%-12s %9.2f %9.2f %9.2f %9.2f %14.0f%n", mode.name,
                q(sorted, 0.50), q(sorted, 0.95), q(sorted, 0.99), mean, mode.shadowRuns());
    }

    private static double q(long[] sorted, double q) {
        return sorted[(int) Math.max(0, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static final class Mode implements AutoCloseable {
        final String name;
        final PipewrightConfig config;
        final Database database;
        final PipelineExecutor executor;
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final Releases releases;

        Mode(String name, Path db, String shadow) {
            this.name = name;
            this.config = ConfigLoader.parse(CONFIG.formatted(db, shadow), name);
            Map<String, SimulationConfig> profiles = new LinkedHashMap<>();
            config.models().values().forEach(model -> profiles.put(model.model(), model.simulation()));
            SimulatedModelClient client = new SimulatedModelClient(
                    SimulationProfiles.of(profiles), Clock.system(), () -> ThreadLocalRandom.current().nextLong());
            ModelCall call = new ModelCall(List.of(), model -> client, config::model, Clock.system());
            this.executor = new PipelineExecutor(call, config::model, Clock.system());
            this.database = Database.open(new StorageConfig("jdbc:sqlite:" + db));
            this.releases = new Releases(ReleaseStore.open(database), () -> config, executor, registry, Clock.system(),
                            () -> ThreadLocalRandom.current().nextLong())
                    .startBackground(java.time.Duration.ofMillis(500));
        }

        List<Long> round(int requests, int concurrency) throws Exception {
            try (ExecutorService callers = Executors.newFixedThreadPool(concurrency, Thread.ofVirtual().factory())) {
                List<Future<Long>> futures = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    int id = i;
                    futures.add(callers.submit(() -> call(id)));
                }
                List<Long> latencies = new ArrayList<>();
                for (Future<Long> future : futures) {
                    latencies.add(future.get());
                }
                return latencies;
            }
        }

        long call(int id) {
            long start = System.nanoTime();
            Variant variant = releases.choose(config.pipelines().get("answer"), "bench", header -> Optional.empty());
            String version = PipelineVersion.of(variant.pipeline(), config::model);
            ObjectNode input = JsonNodeFactory.instance.objectNode().put("text", "question " + id);
            PipelineResult result = executor.run(variant.pipeline(), input, RunContext.of("r" + id, "bench"));
            ObjectNode results = JsonNodeFactory.instance.objectNode();
            result.results().forEach(results::set);
            releases.served(new ServedRun(variant, version, "bench", "r" + id, input, Optional.of(results),
                    result.latency(), result.costUsd()));
            return System.nanoTime() - start;
        }

        double shadowRuns() {
            var counter = registry.find("pipewright.release.shadow.runs").tag("outcome", "succeeded").counter();
            return counter == null ? 0 : counter.count();
        }

        @Override
        public void close() {
            releases.close();
            database.close();
        }
    }
}
