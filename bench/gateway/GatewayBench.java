import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway benchmark: the simulator as the upstream, three gateways proxying to it (observability on: metrics,
 * traces exported over OTLP to a sink in this process, JSON logs to a file; the same with a head sampler keeping one
 * trace in ten; observability off: metrics off, no tracing, the same logs), auth and rate limits on in all, and as
 * the floor a proxy with no features on the same
 * libraries ({@code BareProxy}). In one run, interleaved round by round:
 *
 * <ol>
 *   <li>saturation throughput of POST /v1/chat/completions at concurrency 50 (wrk, closed loop), straight to the
 *       simulator and through each gateway, with each gateway's CPU time per request from /proc/PID/stat;
 *   <li>latency at a fixed rate (an open-loop generator here: every request has its intended start time, and its
 *       latency is counted from then, so a stalled server cannot hide its queue — no coordinated omission);
 *   <li>then the resident memory of the observed gateway holding N concurrent open streams, and of the bare proxy
 *       holding as many requests open (the floor on the same libraries).
 * </ol>
 *
 * Arguments: ROUNDS (default 3) SECONDS per measurement (default 10) RATE req/s (default 1000) STREAMS (default
 * 10000, capped by the open-file limit: the gateway needs two descriptors per stream).
 */
public class GatewayBench {
    static final String KEY = "pw-bench-" + Long.toHexString(System.nanoTime());
    static final String BODY =
            "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the benchmark.\"}]}";
    /** The simulator model behind the gateways' {@code chat} alias: it answers at once. */
    static final String UPSTREAM_MODEL = "sim-chat+latency=0ms";

    /** The simulator model behind the {@code slow} alias the open streams ask for: it answers after 10 minutes. */
    static final String SLOW_MODEL = "sim-chat+latency=600s";

    static final String STREAM_BODY =
            "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hold on.\"}]}";

    static final List<Process> processes = new ArrayList<>();
    static final Path work = tempDir();
    static final boolean pin = "1".equals(System.getenv("BENCH_PIN"));

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int streams = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));

        AtomicLong exported = new AtomicLong();
        HttpServer sink = otlpSink(exported);
        int simPort = freePort();
        start("simulator", null, List.of("simulate", "--port", Integer.toString(simPort), "--config",
                config("sim", simPort, true).toString()), Map.of(), "1");
        Target direct = new Target("direct", simPort, processes.getLast());
        int onPort = freePort();
        Process on = start("gateway-on", config("on", simPort, true), List.of("serve", "--role", "gateway", "--port",
                        Integer.toString(onPort)),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + sink.getAddress().getPort(),
                        "OTEL_BSP_SCHEDULE_DELAY", "1000"),
                "0");
        // The same as the observed gateway but for a head sampler keeping one trace in ten, as busy deployments run.
        int sampledPort = freePort();
        Process sampled = start("gateway-sampled", config("sampled", simPort, true), List.of("serve", "--role",
                        "gateway", "--port", Integer.toString(sampledPort)),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + sink.getAddress().getPort(),
                        "OTEL_BSP_SCHEDULE_DELAY", "1000",
                        "OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
                        "OTEL_TRACES_SAMPLER_ARG", "0.1"),
                "0");
        int offPort = freePort();
        Process off = start("gateway-off", config("off", simPort, false), List.of("serve", "--role", "gateway",
                        "--port", Integer.toString(offPort)),
                Map.of("OTEL_SDK_DISABLED", "true"), "0");
        int bareFloorPort = freePort();
        Process bareFloor = startBareProxy(bareFloorPort, simPort);
        Target gwOn = new Target("gateway (observed)", onPort, on);
        Target gwSampled = new Target("gateway (10% of traces sampled)", sampledPort, sampled);
        Target gwOff = new Target("gateway (metrics+tracing off)", offPort, off);
        Target bare = new Target("bare Helidon proxy", bareFloorPort, bareFloor);
        List<Target> targets = List.of(direct, gwOn, gwSampled, gwOff, bare);
        for (Target target : targets) {
            awaitUp(target);
        }
        System.out.printf("machine: %d cores, load average %s; pinning %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim(), pin ? "gateway→cpu0, load+simulator→cpu1" : "off");

        // Warm-up until the JIT has settled: runs of SECONDS until two in a row agree within 10% (at most 12).
        for (Target target : targets) {
            double previous = 0;
            for (int run = 1; run <= 12; run++) {
                Saturation s = wrk(target, seconds);
                System.out.printf(Locale.ROOT, "warm-up %-30s %8.0f req/s%n", target.name, s.rps);
                if (Math.abs(s.rps - previous) < 0.1 * s.rps) {
                    break;
                }
                previous = s.rps;
            }
        }

        Map<Target, List<Saturation>> saturation = new LinkedHashMap<>();
        Map<Target, List<Latency>> latency = new LinkedHashMap<>();
        int asked = rate;
        for (int round = 1; round <= rounds; round++) {
            for (Target target : targets) {
                Saturation s = wrk(target, seconds);
                saturation.computeIfAbsent(target, t -> new ArrayList<>()).add(s);
                System.out.printf(Locale.ROOT, "round %d saturation %-30s %8.0f req/s  %.0f µs CPU/req (%.0f without"
                                + " the JIT compiler threads)%n",
                        round, target.name, s.rps, s.cpuMicros, s.cpuMicrosWithoutJit);
            }
            if (round == 1) {
                // A fixed rate above what a gateway can serve measures its queue, not its latency: stay at half of
                // the slowest saturation throughput when the asked rate is above it.
                double slowest = Math.min(saturation.get(gwOn).getFirst().rps, saturation.get(gwOff).getFirst().rps);
                rate = (int) Math.min(asked, Math.max(10, slowest / 2));
                if (rate < asked) {
                    System.out.printf("latency rate lowered from %d to %d req/s: half of the slowest gateway's"
                            + " saturation throughput on this machine now%n", asked, rate);
                }
            }
            for (Target target : targets) {
                Latency l = openLoop(target, rate, seconds);
                latency.computeIfAbsent(target, t -> new ArrayList<>()).add(l);
                System.out.printf("round %d at %d req/s   %-30s p50 %.2f ms  p99 %.2f ms  (%d sent, %d failed)%n",
                        round, rate, target.name, l.p50, l.p99, l.sent, l.failed);
            }
        }
        report(saturation, latency, direct, gwOn, gwSampled, gwOff, bare, rate);
        System.out.printf("OTLP sink received %d export requests from the observed gateway%n", exported.get());

        // Streams last: they leave the processes with thousands of sockets. The bare proxy holds the same number of
        // requests open after the gateway's are closed: the floor of what the libraries hold per open request.
        for (Process idle : List.of(off, sampled)) {
            idle.destroy();
            idle.waitFor(20, TimeUnit.SECONDS);
        }
        streams(gwOn, streams);
        // Stopped, so that the simulator lets go of its upstream connections before the bare proxy opens as many.
        on.destroy();
        on.waitFor(20, TimeUnit.SECONDS);
        streams(bare, streams);
        processes.forEach(Process::destroy);
        sink.stop(0);
    }

    record Target(String name, int port, Process process) {}

    record Saturation(double rps, long requests, long errors, double cpuMicros, double cpuMicrosWithoutJit) {}

    record Latency(double p50, double p99, double max, int sent, int failed) {}

    static void report(Map<Target, List<Saturation>> saturation, Map<Target, List<Latency>> latency, Target direct,
            Target on, Target sampled, Target off, Target bare, int rate) {
        double directRps = median(saturation.get(direct).stream().mapToDouble(Saturation::rps).toArray());
        System.out.println();
        System.out.println("| target | throughput req/s (median) | × direct | CPU µs/request (without JIT threads)"
                + " | p50 ms | p99 ms | added p50 ms | added p99 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        Latency base = medianLatency(latency.get(direct));
        for (Target target : List.of(direct, on, sampled, off, bare)) {
            double rps = median(saturation.get(target).stream().mapToDouble(Saturation::rps).toArray());
            double cpu = median(saturation.get(target).stream().mapToDouble(Saturation::cpuMicros).toArray());
            double cpuWithoutJit = median(
                    saturation.get(target).stream().mapToDouble(Saturation::cpuMicrosWithoutJit).toArray());
            long errors = saturation.get(target).stream().mapToLong(Saturation::errors).sum();
            Latency l = medianLatency(latency.get(target));
            System.out.printf(Locale.ROOT, "| %s | %.0f%s | %.2f | %s | %.2f | %.2f | %s | %s |%n", target.name, rps,
                    errors > 0 ? " (" + errors + " errors)" : "", rps / directRps,
                    String.format(Locale.ROOT, "%.0f (%.0f)", cpu, cpuWithoutJit), l.p50, l.p99,
                    target == direct ? "–" : String.format(Locale.ROOT, "%.2f", l.p50 - base.p50),
                    target == direct ? "–" : String.format(Locale.ROOT, "%.2f", l.p99 - base.p99));
        }
        System.out.printf(Locale.ROOT, "%nCPU µs/request of direct is the simulator's; latency at %d req/s%n", rate);
        observing("every request traced", saturation.get(on), saturation.get(off));
        observing("10% of traces sampled", saturation.get(sampled), saturation.get(off));
    }

    /** The cost of observing: the observed gateway against the one with metrics and tracing off. */
    static void observing(String how, List<Saturation> observed, List<Saturation> off) {
        double onRps = median(observed.stream().mapToDouble(Saturation::rps).toArray());
        double offRps = median(off.stream().mapToDouble(Saturation::rps).toArray());
        double onCpu = median(observed.stream().mapToDouble(Saturation::cpuMicros).toArray());
        double offCpu = median(off.stream().mapToDouble(Saturation::cpuMicros).toArray());
        System.out.printf(Locale.ROOT, "cost of observing (metrics + tracing, %s, vs off): throughput %.1f%% lower,"
                        + " CPU per request %.1f%% higher; per round, observed/off throughput %s%n",
                how, 100 * (1 - onRps / offRps), 100 * (onCpu / offCpu - 1), ratios(observed, off));
    }

    static String ratios(List<Saturation> on, List<Saturation> off) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < on.size(); i++) {
            ratios.add(String.format(Locale.ROOT, "%.3f", on.get(i).rps / off.get(i).rps));
        }
        return String.join(", ", ratios);
    }

    static Latency medianLatency(List<Latency> rounds) {
        return new Latency(median(rounds.stream().mapToDouble(Latency::p50).toArray()),
                median(rounds.stream().mapToDouble(Latency::p99).toArray()),
                rounds.stream().mapToDouble(Latency::max).max().orElse(0),
                rounds.stream().mapToInt(Latency::sent).sum(), rounds.stream().mapToInt(Latency::failed).sum());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    // ---- processes ----

    static Path config(String name, int simPort, boolean metrics) throws Exception {
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8)));
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                storage: {url: "jdbc:sqlite:%s/%s.db"}
                telemetry: {metrics: %s}
                providers:
                  upstream: {kind: openai, base_url: "http://127.0.0.1:%d/v1", api_key_env: BENCH_UPSTREAM_KEY}
                models:
                  chat:
                    provider: upstream
                    model: "%s"
                    price: {input_per_mtok: 0.15, output_per_mtok: 0.60}
                  slow:
                    provider: upstream
                    model: "%s"
                    timeout: 15m
                    stream: {first_token_timeout: 15m, idle_timeout: 15m}
                tenants:
                  bench: {api_keys: ["sha256:%s"], rpm: 2000000000, tpm: 2000000000}
                """.formatted(work, name, metrics, simPort, UPSTREAM_MODEL, SLOW_MODEL, hash));
        return file;
    }

    static Process start(String name, Path config, List<String> args, Map<String, String> env, String cpu)
            throws IOException {
        List<String> program = new ArrayList<>(List.of(
                "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("bench.jar", "target/pipewright.jar")));
        program.addAll(args);
        if (config != null) {
            program.addAll(List.of("--config", config.toString()));
        }
        return launch(name, program, env, cpu);
    }

    /** A JVM with the gateways' options ({@code BENCH_GATEWAY_OPTS}) running {@code program}, pinned to {@code cpu}. */
    static Process launch(String name, List<String> program, Map<String, String> env, String cpu) throws IOException {
        List<String> command = new ArrayList<>();
        if (pin) {
            command.addAll(List.of("taskset", "-c", cpu));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = System.getenv().getOrDefault("BENCH_GATEWAY_OPTS", "-XX:+UseZGC -Xmx512m");
        command.addAll(Arrays.asList(options.trim().split("\\s+")));
        command.addAll(program);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(work.resolve(name + ".out").toFile())
                .redirectError(work.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        builder.environment().put("BENCH_UPSTREAM_KEY", "sk-bench-upstream");
        builder.environment().put("PIPEWRIGHT_LOG_FORMAT", "json");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /**
     * The floor: {@code BareProxy} (beside this file) on the same JVM options and class path as the gateways, proxying
     * to the simulator with no features at all.
     */
    static Process startBareProxy(int port, int simPort) throws IOException {
        return launch("bare", List.of("-cp", System.getProperty("bench.jar", "target/pipewright.jar"),
                Path.of("bench", "gateway", "BareProxy.java").toString(), Integer.toString(port),
                Integer.toString(simPort), UPSTREAM_MODEL, SLOW_MODEL), Map.of(), "0");
    }

    static void awaitUp(Target target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (target.process != null && !target.process.isAlive()) {
                break;
            }
            try (Connection connection = new Connection(target.port)) {
                connection.exchange(request(target, BODY));
                return;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException(target.name + " did not answer on port " + target.port + "; see " + work);
    }

    static HttpServer otlpSink(AtomicLong exported) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exported.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    // ---- closed loop: wrk ----

    static Saturation wrk(Target target, int seconds) throws Exception {
        long[] cpuBefore = cpuTicks(target.process.pid());
        List<String> command = new ArrayList<>();
        if (pin) {
            command.addAll(List.of("taskset", "-c", "1"));
        }
        command.addAll(List.of("wrk", "-t2", "-c50", "-d" + seconds + "s", "-s", "bench/gateway/chat.lua",
                "http://127.0.0.1:" + target.port + "/v1/chat/completions"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BENCH_KEY", KEY);
        builder.environment().put("BENCH_MODEL", target.name.equals("direct") ? UPSTREAM_MODEL : "chat");
        Process wrk = builder.start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        long[] cpuAfter = cpuTicks(target.process.pid());
        Matcher total = Pattern.compile("(\\d+) requests in").matcher(output);
        Matcher rps = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(output);
        if (!total.find() || !rps.find()) {
            throw new IllegalStateException("wrk said: " + output);
        }
        long requests = Long.parseLong(total.group(1));
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(output);
        Matcher socketErrors = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(output);
        long errors = (non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0);
        if (socketErrors.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socketErrors.group(g));
            }
        }
        double cpuMicros = (cpuAfter[0] - cpuBefore[0]) * 1e6 / TICKS / requests;
        double withoutJit = (cpuAfter[0] - cpuAfter[1] - cpuBefore[0] + cpuBefore[1]) * 1e6 / TICKS / requests;
        return new Saturation(Double.parseDouble(rps.group(1)), requests, errors, cpuMicros, withoutJit);
    }

    static final double TICKS = 100;

    /** utime + stime of a process, and of its JIT compiler threads alone, in clock ticks. */
    static long[] cpuTicks(long pid) throws IOException {
        long compilers = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        compilers += ticks(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException threadEnded) {
                    // A thread that ended between the listing and the read.
                }
            }
        }
        return new long[] {ticks(Files.readString(Path.of("/proc/" + pid + "/stat"))), compilers};
    }

    static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    // ---- open loop: constant rate, latency from the intended start ----

    static Latency openLoop(Target target, int rate, int seconds) throws Exception {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger outstanding = new AtomicInteger();
        ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
        byte[] request = request(target, BODY);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long intended = start + i * interval;
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int index = i;
                if (outstanding.get() >= MAX_OUTSTANDING) {
                    latencies[index] = Long.MAX_VALUE;
                    failed.incrementAndGet();
                    continue;
                }
                outstanding.incrementAndGet();
                requests.execute(() -> {
                    Connection connection = idle.poll();
                    try {
                        if (connection == null) {
                            connection = new Connection(target.port);
                        }
                        int status = connection.exchange(request);
                        latencies[index] = System.nanoTime() - intended;
                        if (status != 200) {
                            failed.incrementAndGet();
                        }
                        idle.add(connection);
                    } catch (IOException e) {
                        latencies[index] = System.nanoTime() - intended;
                        failed.incrementAndGet();
                        if (connection != null) {
                            connection.close();
                        }
                    } finally {
                        outstanding.decrementAndGet();
                    }
                });
            }
        }
        idle.forEach(Connection::close);
        Arrays.sort(latencies);
        return new Latency(latencies[total / 2] / 1e6, latencies[(int) (total * 0.99)] / 1e6,
                latencies[total - 1] / 1e6, total, failed.get());
    }

    /** Requests in flight beyond which the generator counts a request as failed instead of sending it. */
    static final int MAX_OUTSTANDING = 1000;

    static byte[] request(Target target, String body) {
        byte[] bytes = forTarget(target, body).getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + target.port
                + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + KEY + "\r\nContent-Length: "
                + bytes.length + "\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    /**
     * The body as the target must see it: straight to the simulator, a request names the simulator model the gateways'
     * {@code chat} alias pins, so that the direct baseline waits the same zero latency (the simulator's default
     * latency for a name it has no profile for would make the baseline look slow).
     */
    static String forTarget(Target target, String body) {
        return target.name.equals("direct") ? body.replace("\"model\":\"chat\"", "\"model\":\"" + UPSTREAM_MODEL + "\"") : body;
    }

    /** One keep-alive HTTP/1.1 connection that sends a request and reads the whole response. */
    static final class Connection implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final InputStream in;

        Connection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16384);
        }

        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
                    in.skipNBytes(size);
                    line();
                }
                line();
            } else if (length > 0) {
                in.skipNBytes(length);
            }
            return code;
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a connection that broke.
            }
        }
    }

    // ---- open streams ----

    static void streams(Target target, int wanted) throws Exception {
        long limit = openFileLimit();
        int streams = (int) Math.min(wanted, (limit - 400) / 2);
        long pid = target.process.pid();
        long rssBefore = rssKb(pid);
        int baseFds = openFiles(pid);
        List<Socket> held = new ArrayList<>();
        byte[] request = request(target, STREAM_BODY);
        try (ExecutorService openers = Executors.newVirtualThreadPerTaskExecutor()) {
            ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
            AtomicInteger failures = new AtomicInteger();
            for (int i = 0; i < streams; i++) {
                openers.execute(() -> {
                    try {
                        Socket socket = new Socket("127.0.0.1", target.port);
                        socket.getOutputStream().write(request);
                        socket.getOutputStream().flush();
                        sockets.add(socket);
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    }
                });
            }
            openers.shutdown();
            openers.awaitTermination(2, TimeUnit.MINUTES);
            held.addAll(sockets);
            if (failures.get() > 0) {
                System.out.printf("%d streams could not be opened%n", failures.get());
            }
        }
        // A stream is open in the proxy once it holds a client and an upstream connection for it; a request refused
        // (503, over the in-flight limit) holds only its client connection and has its answer waiting to be read.
        // Up to 50 upstream connections were already open, idle in the pool since the saturation rounds.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        int refused = answered(held);
        int upstream = openFiles(pid) - baseFds - held.size();
        while (refused + upstream < held.size() - 60 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            refused = answered(held);
            upstream = openFiles(pid) - baseFds - held.size();
        }
        Thread.sleep(5000);
        long rss = rssKb(pid);
        System.out.printf(Locale.ROOT, "%n%s, open streams: %d held by the client (%d wanted; open-file limit %d),"
                        + " %d with an upstream connection; answered at once, by status: %s%n",
                target.name, held.size(), wanted, limit, openFiles(pid) - baseFds - held.size(), statuses(held));
        System.out.printf(Locale.ROOT, "%s, resident memory: %.0f MB idle before, %.0f MB with the streams open"
                        + " (peak %.0f MB)%n",
                target.name, rssBefore / 1024.0, rss / 1024.0, hwmKb(pid) / 1024.0);
        held.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is all that is left to do.
            }
        });
    }

    /** How many of {@code sockets} have an answer waiting: streams open here send nothing before a first token. */
    static int answered(List<Socket> sockets) throws IOException {
        int answered = 0;
        for (Socket socket : sockets) {
            if (socket.getInputStream().available() > 0) {
                answered++;
            }
        }
        return answered;
    }

    /** The status codes of the sockets that have an answer waiting, counted: the streams that did not stay open. */
    static Map<String, Integer> statuses(List<Socket> sockets) throws IOException {
        Map<String, Integer> statuses = new TreeMap<>();
        for (Socket socket : sockets) {
            if (socket.getInputStream().available() > 0) {
                String line = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                statuses.merge(line.length() == 12 ? line.substring(9, 12) : line, 1, Integer::sum);
            }
        }
        return statuses;
    }

    static long openFileLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring(26).trim().split("\\s+")[0]);
            }
        }
        return 1024;
    }

    static int openFiles(long pid) throws IOException {
        try (var files = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) files.count();
        }
    }

    static long rssKb(long pid) throws IOException {
        return statusKb(pid, "VmRSS:");
    }

    static long hwmKb(long pid) throws IOException {
        return statusKb(pid, "VmHWM:");
    }

    static long statusKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("pipewright-gateway-bench");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
