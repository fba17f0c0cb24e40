import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two gateways side by side: A and B (two builds, or one build in two settings) proxy to one simulator and are loaded
 * at the same time, each by its own wrk at concurrency 25, so that both see the same machine at the same moment.
 * After a warm-up, each round prints each gateway's CPU time per request (from /proc/PID/stat) and B's over A's; on
 * a shared machine that ratio is far steadier than two runs one after the other.
 *
 * <p>Arguments: ROUNDS (default 6) SECONDS per round (default 10). Environment: SIDE_A_JAR and SIDE_B_JAR (default
 * the build, copied), SIDE_A_MODE and SIDE_B_MODE, each one of {@code on} (metrics, every request traced),
 * {@code sampled} (metrics, one trace in ten), {@code metrics} (metrics, no tracing), {@code tracing} (every request
 * traced, no metrics), {@code off} (neither; the default for B, {@code on} for A), SIDE_A_OPTS and SIDE_B_OPTS JVM
 * options added to one side's (as {@code JAVA_TOOL_OPTIONS}), SIDE_WARM seconds of warm-up (default 60). Uses
 * {@link GatewayBench}'s processes and configuration (run it with the multi-file source launcher).
 */
public class SideBySide {
    record Side(String name, String jar, String mode, GatewayBench.Target target) {}

    record Round(long requests, double cpuMicros) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warm = Integer.parseInt(System.getenv().getOrDefault("SIDE_WARM", "60"));
        String defaultJar = System.getProperty("bench.jar", "target/pipewright.jar");
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> GatewayBench.processes.forEach(Process::destroyForcibly)));

        var sink = GatewayBench.otlpSink(new AtomicLong());
        String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort();
        int simPort = GatewayBench.freePort();
        GatewayBench.start("simulator", null, List.of("simulate", "--port", Integer.toString(simPort), "--config",
                GatewayBench.config("sim", simPort, true).toString()), Map.of(), "1");
        GatewayBench.awaitUp(new GatewayBench.Target("direct", simPort, GatewayBench.processes.getLast()));
        Side a = side("A", System.getenv().getOrDefault("SIDE_A_JAR", defaultJar),
                System.getenv().getOrDefault("SIDE_A_MODE", "on"), simPort, endpoint);
        Side b = side("B", System.getenv().getOrDefault("SIDE_B_JAR", defaultJar),
                System.getenv().getOrDefault("SIDE_B_MODE", "off"), simPort, endpoint);
        for (Side side : List.of(a, b)) {
            GatewayBench.awaitUp(side.target());
            System.out.printf("%s: %s, %s%n", side.name(), side.jar(), side.mode());
        }

        both(a, b, warm);
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Round[] measured = both(a, b, seconds);
            double ratio = measured[1].cpuMicros() / measured[0].cpuMicros();
            ratios.add(ratio);
            System.out.printf(Locale.ROOT,
                    "round %d: A %.1f µs/request (%d requests), B %.1f µs/request (%d requests), B/A CPU %.3f%n",
                    round, measured[0].cpuMicros(), measured[0].requests(), measured[1].cpuMicros(),
                    measured[1].requests(), ratio);
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "B/A CPU per request, median of %d rounds: %.3f%n", rounds,
                GatewayBench.median(sorted));
        GatewayBench.processes.forEach(Process::destroy);
        sink.stop(0);
    }

    static Side side(String name, String jar, String mode, int simPort, String endpoint) throws Exception {
        boolean metrics = switch (mode) {
            case "on", "sampled", "metrics" -> true;
            case "tracing", "off" -> false;
            default -> throw new IllegalArgumentException(
                    "mode of " + name + " must be on, sampled, metrics, tracing or off, but was " + mode);
        };
        Map<String, String> env = switch (mode) {
            case "on", "tracing" -> Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_BSP_SCHEDULE_DELAY", "1000");
            case "sampled" -> Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_BSP_SCHEDULE_DELAY", "1000",
                    "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.1");
            default -> Map.of("OTEL_SDK_DISABLED", "true");
        };
        String options = System.getenv().getOrDefault("SIDE_" + name + "_OPTS", "");
        if (!options.isBlank()) {
            env = new HashMap<>(env);
            env.put("JAVA_TOOL_OPTIONS", options);
        }
        int port = GatewayBench.freePort();
        Path config = GatewayBench.config("side-" + name, simPort, metrics);
        Process process = GatewayBench.launch("gateway-" + name, List.of("--enable-native-access=ALL-UNNAMED", "-jar",
                jar, "serve", "--role", "gateway", "--port", Integer.toString(port), "--config", config.toString()),
                env, "0");
        return new Side(name, jar, mode + (options.isBlank() ? "" : ", " + options),
                new GatewayBench.Target("gateway " + name, port, process));
    }

    /** Loads both gateways at once for {@code seconds}; each one's requests and CPU µs per request. */
    static Round[] both(Side a, Side b, int seconds) throws Exception {
        long[] cpuBefore = {cpu(a), cpu(b)};
        Process[] loads = {wrk(a, seconds), wrk(b, seconds)};
        String[] outputs = new String[2];
        for (int i = 0; i < 2; i++) {
            outputs[i] = new String(loads[i].getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            loads[i].waitFor();
        }
        long[] cpuAfter = {cpu(a), cpu(b)};
        Round[] rounds = new Round[2];
        for (int i = 0; i < 2; i++) {
            Matcher total = Pattern.compile("(\\d+) requests in").matcher(outputs[i]);
            if (!total.find()) {
                throw new IllegalStateException("wrk said: " + outputs[i]);
            }
            if (outputs[i].contains("Non-2xx")) {
                throw new IllegalStateException("a gateway answered with errors: " + outputs[i]);
            }
            long requests = Long.parseLong(total.group(1));
            rounds[i] = new Round(requests, (cpuAfter[i] - cpuBefore[i]) * 1e6 / GatewayBench.TICKS / requests);
        }
        return rounds;
    }

    static long cpu(Side side) throws Exception {
        return GatewayBench.cpuTicks(side.target().process().pid())[0];
    }

    static Process wrk(Side side, int seconds) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList("wrk", "-t1", "-c25", "-d" + seconds + "s", "-s",
                "bench/gateway/chat.lua", "http://127.0.0.1:" + side.target().port() + "/v1/chat/completions"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BENCH_KEY", GatewayBench.KEY);
        builder.environment().put("BENCH_MODEL", "chat");
        return builder.start();
    }
}
