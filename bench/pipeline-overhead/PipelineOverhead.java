import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.resilience.CircuitBreakerInterceptor;
import dev.pipewright.resilience.ResilienceChain;
import dev.pipewright.resilience.TimeoutInterceptor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Pipeline executor overhead: the analyze-shaped DAG (classify 50 ms -> analysis 200 ms, embedding 30 ms in
 * parallel) on the in-process simulator, through the full ModelCall chain, at several concurrency levels. Each level
 * also runs the same DAG as bare virtual threads that only sleep, interleaved with the pipeline runs, so the
 * overhead of Pipewright is reported beside the overhead the JVM's timers alone add on this machine.
 *
 * The workers start spread evenly over one critical path, as runs arriving one after another would be; started all
 * at once they would wake in lockstep and every step boundary would become a burst of a thousand completions.
 *
 * Run from the repository root after building: see the README's "Benchmarks" section.
 */
public final class PipelineOverhead {
    static final long CRITICAL_PATH_NANOS = Duration.ofMillis(250).toNanos();
    static final String CONFIG = """
            providers:
              sim: {kind: simulated}
            models:
              classifier: {provider: sim, model: bench-classifier, simulation: {latency: 50ms}}
              analyst: {provider: sim, model: bench-analyst, simulation: {latency: 200ms}}
              embedder: {provider: sim, model: bench-embedder, type: embedding, simulation: {latency: 30ms}}
            pipelines:
              analyze:
                deadline: 15s
                steps:
                  classify: {model: classifier, prompt: "Classify into technical, business, creative, legal: {{input.text}}"}
                  embedding: {model: embedder, input: "{{input.text}}"}
                  analysis: {model: analyst, needs: [classify], prompt: "Provide a detailed {{steps.classify.text}} analysis of: {{input.text}}"}
                output: {classification: classify, embedding: embedding, analysis: analysis}
            """;

    public static void main(String[] args) throws Exception {
        int[] levels = args.length == 0 ? new int[] {1, 100, 1000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        PipewrightConfig config = ConfigLoader.parse(CONFIG, "bench");
        PipelineConfig pipeline = config.pipelines().get("analyze");
        PipelineExecutor executor = executor(config);
        ObjectNode input = new ObjectMapper().createObjectNode()
                .put("text", "Quarterly revenue grew 12% on cloud contracts while churn fell to 3%.");

        System.out.printf("JVM %s, %d cores, max heap %d MB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        measure(1, 20, executor, pipeline, input); // warm-up, not reported
        measure(200, 5, executor, pipeline, input);
        System.out.println("| concurrent runs | runs | pipeline p50 / p99 overhead (ms) | bare sleeps p50 / p99 overhead (ms)"
                + " | CPU per run: pipeline / bare (µs) | peak heap (MB) |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (int level : levels) {
            int rounds = Math.max(5, Math.min(40, 20_000 / level));
            System.gc();
            resetPeakHeap();
            long cpuBefore = processCpuNanos();
            long[] pipelineOverhead = measure(level, rounds, executor, pipeline, input);
            long pipelineCpu = (processCpuNanos() - cpuBefore) / pipelineOverhead.length;
            long peak = peakHeapBytes();
            cpuBefore = processCpuNanos();
            long[] bareOverhead = measureBare(level, rounds);
            long bareCpu = (processCpuNanos() - cpuBefore) / bareOverhead.length;
            System.out.printf("| %d | %d | %.2f / %.2f | %.2f / %.2f | %d / %d | %d |%n", level, pipelineOverhead.length,
                    millis(percentile(pipelineOverhead, 50)), millis(percentile(pipelineOverhead, 99)),
                    millis(percentile(bareOverhead, 50)), millis(percentile(bareOverhead, 99)),
                    pipelineCpu / 1000, bareCpu / 1000, peak >> 20);
        }
        System.exit(0);
    }

    static PipelineExecutor executor(PipewrightConfig config) {
        Clock clock = Clock.system();
        RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
        ScheduledExecutorService watchdog = TimeoutInterceptor.newWatchdog();
        Map<String, SimulationConfig> profiles = new LinkedHashMap<>();
        config.models().values().forEach(model -> profiles.put(model.model(), model.simulation()));
        SimulatedModelClient client = new SimulatedModelClient(SimulationProfiles.of(profiles), clock, random);
        ModelCall call = new ModelCall(
                ResilienceChain.standard(config::model, clock, random, watchdog, new CircuitBreakerInterceptor(clock)),
                model -> client,
                config::model,
                clock);
        return new PipelineExecutor(call, config::model, clock);
    }

    /** Runs {@code concurrency} loops of {@code rounds} back-to-back runs each; returns every run's overhead. */
    static long[] measure(int concurrency, int rounds, PipelineExecutor executor, PipelineConfig pipeline,
            ObjectNode input) throws InterruptedException {
        return inParallel(concurrency, rounds, () -> executor.run(pipeline, input, RunContext.of("bench", "default")));
    }

    /** The same DAG as bare virtual threads that sleep the simulated latencies: the floor any executor pays. */
    static long[] measureBare(int concurrency, int rounds) throws InterruptedException {
        return inParallel(concurrency, rounds, () -> {
            Thread embedding = Thread.ofVirtual().start(() -> sleep(30));
            sleep(50);
            sleep(200);
            embedding.join();
            return null;
        });
    }

    interface Run {
        Object run() throws Exception;
    }

    static long[] inParallel(int concurrency, int rounds, Run run) throws InterruptedException {
        long[] overheads = new long[concurrency * rounds];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int worker = 0; worker < concurrency; worker++) {
            long offsetNanos = CRITICAL_PATH_NANOS * worker / concurrency;
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(Duration.ofNanos(offsetNanos));
                    for (int round = 0; round < rounds; round++) {
                        long start = System.nanoTime();
                        run.run();
                        overheads[next.getAndIncrement()] = System.nanoTime() - start - CRITICAL_PATH_NANOS;
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(1);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        return overheads;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long percentile(long[] values, double percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    static void resetPeakHeap() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peaks since the last reset: an upper bound of the heap in use at any moment. */
    static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }
}
