import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rolling restart of two replicas under load, on one PostgreSQL database: clients send pipeline requests and job
 * submissions through a client-side balancer that, like a load balancer, sends a request refused with 503 (or a
 * refused connection) to the other replica. Each replica in turn gets SIGTERM, drains, exits and starts again.
 * Reports requests dropped (failed on both replicas), jobs lost, exit codes, and the runs per fire time of a
 * schedule firing every minute. Arguments: seconds of load after the restarts (default 45).
 */
public class RollingRestart {
    static final String KEY = "rolling-restart-master-key";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final Pattern JOB_ID = Pattern.compile("\"job_id\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        int tail = args.length > 0 ? Integer.parseInt(args[0]) : 45;
        String server = System.getenv().getOrDefault(
                "BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String schema = "rolling_" + ProcessHandle.current().pid();
        try (Connection admin = DriverManager.getConnection(server); Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        String url = server + "&currentSchema=" + schema;
        Path folder = Files.createTempDirectory("rolling-restart");
        Path config = Files.writeString(folder.resolve("pipewright.yaml"), """
                server: {drain_timeout: 10s}
                storage: {url: "%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  first: {provider: sim, model: first-2025-01-01, simulation: {latency: 40ms}}
                pipelines:
                  chain:
                    deadline: 30s
                    steps:
                      one: {model: first, prompt: "one {{input.text}}"}
                      two: {model: first, needs: [one], prompt: "two {{steps.one.text}}"}
                    output: {result: two}
                schedules:
                  every-minute:
                    cron: "* * * * *"
                    pipeline: chain
                    input: {fixed: {text: "scheduled"}}
                """.formatted(url));
        int[] ports = {freePort(), freePort()};
        Process[] replicas = {start(config, ports[0], folder, "a1"), start(config, ports[1], folder, "b1")};
        for (int port : ports) {
            awaitReady(port);
        }
        Instant loadStart = Instant.now();
        System.out.printf("two replicas ready on %d and %d; load starts%n", ports[0], ports[1]);

        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        AtomicLong redirected = new AtomicLong();
        AtomicInteger turn = new AtomicInteger();
        ConcurrentLinkedQueue<String> jobs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            boolean submitsJobs = t % 2 == 1;
            load.add(clients.submit(() -> {
                long n = 0;
                while (loading.get()) {
                    n++;
                    String path = submitsJobs ? "/v1/jobs" : "/v1/pipelines/chain";
                    String body = submitsJobs
                            ? "{\"pipeline\": \"chain\", \"input\": {\"text\": \"job " + n + "\"}}"
                            : "{\"input\": {\"text\": \"request " + n + "\"}}";
                    int first = turn.getAndIncrement() % 2;
                    String answer = null;
                    String lastProblem = "";
                    for (int attempt = 0; attempt < 6 && answer == null; attempt++) {
                        int port = ports[(first + attempt) % 2];
                        try {
                            HttpResponse<String> response = post(port, path, body);
                            if (response.statusCode() == 200 || response.statusCode() == 202) {
                                answer = response.body();
                            } else if (response.statusCode() == 503) {
                                redirected.incrementAndGet();
                                lastProblem = "503";
                            } else {
                                lastProblem = response.statusCode() + " " + response.body();
                                break;
                            }
                        } catch (IOException refused) {
                            redirected.incrementAndGet();
                            lastProblem = refused.toString();
                        }
                        if (answer == null && attempt % 2 == 1) {
                            Thread.sleep(250);
                        }
                    }
                    if (answer == null) {
                        dropped.incrementAndGet();
                        failures.add(path + ": " + lastProblem);
                    } else {
                        ok.incrementAndGet();
                        if (submitsJobs) {
                            Matcher id = JOB_ID.matcher(answer);
                            if (id.find()) {
                                jobs.add(id.group(1));
                            }
                        }
                    }
                }
                return null;
            }));
        }

        Thread.sleep(5_000);
        for (int i = 0; i < 2; i++) {
            long before = ok.get();
            Instant signal = Instant.now();
            replicas[i].destroy();
            boolean exited = replicas[i].waitFor(60, TimeUnit.SECONDS);
            System.out.printf(
                    "replica %s: SIGTERM, drained and exited %s with code %s after %d ms%n",
                    i == 0 ? "A" : "B",
                    exited ? "" : "NOT",
                    exited ? replicas[i].exitValue() : "-",
                    Duration.between(signal, Instant.now()).toMillis());
            replicas[i] = start(config, ports[i], folder, (i == 0 ? "a" : "b") + "2");
            awaitReady(ports[i]);
            System.out.printf(
                    "replica %s: ready again after %d ms; %d requests answered meanwhile%n",
                    i == 0 ? "A" : "B", Duration.between(signal, Instant.now()).toMillis(), ok.get() - before);
            Thread.sleep(5_000);
        }
        Thread.sleep(tail * 1_000L);
        loading.set(false);
        for (Future<?> client : load) {
            client.get();
        }
        Duration loaded = Duration.between(loadStart, Instant.now());

        int lost;
        Map<String, Integer> statuses = new TreeMap<>();
        Instant deadline = Instant.now().plusSeconds(180);
        try (Connection connection = DriverManager.getConnection(url)) {
            do {
                statuses.clear();
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT status, COUNT(*) FROM jobs GROUP BY status")) {
                    while (rows.next()) {
                        statuses.put(rows.getString(1), rows.getInt(2));
                    }
                }
                if (statuses.keySet().stream().allMatch(status -> status.equals("succeeded"))) {
                    break;
                }
                Thread.sleep(1_000);
            } while (Instant.now().isBefore(deadline));
            List<String> missing = new ArrayList<>();
            for (String id : jobs) {
                try (Statement statement = connection.createStatement();
                        ResultSet row = statement.executeQuery(
                                "SELECT status FROM jobs WHERE id = '" + id.replace("'", "") + "'")) {
                    if (!row.next() || !row.getString(1).equals("succeeded")) {
                        missing.add(id);
                    }
                }
            }
            lost = missing.size();
            System.out.printf(
                    "load: %d s, %d requests answered (pipelines and job submissions), %d dropped, %d sent to the"
                            + " other replica after a 503 or a refused connection%n",
                    loaded.toSeconds(), ok.get(), dropped.get(), redirected.get());
            failures.stream().limit(5).forEach(failure -> System.out.println("  dropped: " + failure));
            System.out.printf("jobs: %d accepted with 202, %d not succeeded in the end (lost); all jobs by status: %s%n",
                    jobs.size(), lost, statuses);
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT fire_time),"
                            + " SUM(jobs), COUNT(DISTINCT claimed_by) FROM schedule_runs WHERE trigger <> 'manual'")) {
                rows.next();
                System.out.printf(
                        "schedule every-minute: %d runs for %d distinct fire times, %d jobs queued, run by %d replica"
                                + " processes%n",
                        rows.getInt(1), rows.getInt(2), rows.getLong(3), rows.getInt(4));
            }
        } finally {
            for (Process replica : replicas) {
                replica.destroy();
                replica.waitFor(60, TimeUnit.SECONDS);
            }
            try (Connection admin = DriverManager.getConnection(server);
                    Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            clients.shutdownNow();
        }
        System.out.println(dropped.get() == 0 && lost == 0 ? "PASS: nothing dropped, no job lost" : "FAIL");
        System.exit(dropped.get() == 0 && lost == 0 ? 0 : 1);
    }

    static HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Process start(Path config, int port, Path folder, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx384m",
                        "-jar",
                        Path.of("target/pipewright.jar").toAbsolutePath().toString(),
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "-c",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve(name + ".log").toFile());
        builder.environment().put("PIPEWRIGHT_MASTER_KEY", KEY);
        return builder.start();
    }

    static void awaitReady(int port) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("replica on " + port + " never became ready");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
