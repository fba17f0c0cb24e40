import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.AttemptRecord;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobPriority;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;
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
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Fair sharing across processes: two `pipewright serve --role worker` processes (4 jobs each at a time) claim from
 * one PostgreSQL job store. Tenant A enqueues a large batch at once; then tenant B enqueues a trickle, one job at a
 * fixed interval, all at batch priority and the default equal share. Each job is one 100 ms simulated step. B's
 * wait is the time from its enqueue to its claim (the first attempt's start); with fair sharing it stays near one
 * job's duration, however long A's queue is. A's share is the fraction of the claims made while B trickled that
 * went to A: B asks for far less than its half, so A keeps nearly all the slots B leaves.
 *
 * Run from the repository root after building: bench/fairness/run [A_JOBS] [B_JOBS] [B_INTERVAL_MS].
 */
public final class Fairness {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int PROCESSES = 2;
    static final int JOBS_PER_PROCESS = 4;

    public static void main(String[] args) throws Exception {
        int aJobs = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int bJobs = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        long interval = args.length > 2 ? Long.parseLong(args[2]) : 500;
        String server = System.getenv().getOrDefault(
                "BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String schema = "fairness_" + ProcessHandle.current().pid();
        try (Connection admin = DriverManager.getConnection(server); Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        String url = server + "&currentSchema=" + schema;
        Path folder = Files.createTempDirectory("fairness");
        Path config = Files.writeString(folder.resolve("pipewright.yaml"), """
                server: {drain_timeout: 5s}
                storage: {url: "%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  step: {provider: sim, model: step-2025-01-01, simulation: {latency: 100ms}}
                pipelines:
                  one:
                    steps:
                      only: {model: step, prompt: "{{input.text}}"}
                """.formatted(url));
        List<Process> workers = new ArrayList<>();
        try (Database database = Database.open(new StorageConfig(url))) {
            JobStore store = JobStores.open(database, Clock.system());
            for (int n = 1; n <= PROCESSES; n++) {
                int opsPort = freePort();
                workers.add(start(config, opsPort, folder, "worker-" + n));
                awaitLive(opsPort);
            }
            System.out.printf(
                    "JVM %s, %d cores; %d worker processes × %d jobs; A: %d jobs at once, B: %d jobs every %d ms;"
                            + " each job one 100 ms step%n",
                    Runtime.version(),
                    Runtime.getRuntime().availableProcessors(),
                    PROCESSES,
                    JOBS_PER_PROCESS,
                    aJobs,
                    bJobs,
                    interval);
            Instant enqueueStart = Instant.now();
            for (int i = 0; i < aJobs; i++) {
                store.enqueue(submission("a", i));
            }
            System.out.printf(
                    "A's batch enqueued in %d ms%n",
                    Duration.between(enqueueStart, Instant.now()).toMillis());
            List<Job> trickle = new ArrayList<>();
            for (int i = 0; i < bJobs; i++) {
                trickle.add(store.enqueue(submission("b", i)).job());
                Thread.sleep(interval);
            }
            List<Long> waits = new ArrayList<>();
            Instant firstB = trickle.getFirst().createdAt();
            Instant lastClaim = firstB;
            for (Job job : trickle) {
                AttemptRecord first = awaitFirstAttempt(store, job);
                waits.add(Duration.between(job.createdAt(), first.startedAt()).toMillis());
                lastClaim = first.startedAt().isAfter(lastClaim) ? first.startedAt() : lastClaim;
            }
            Map<String, Integer> claims = claimsBetween(url, firstB, lastClaim);
            int total = claims.values().stream().mapToInt(Integer::intValue).sum();
            long aLeft = queued(url, "a");
            waits.sort(Long::compare);
            System.out.println("| B jobs | B wait p50 | B wait p99 | B wait max | claims while B trickled | A's share"
                    + " | B's share | A still queued |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
            System.out.printf(
                    "| %d | %d ms | %d ms | %d ms | %d | %.1f %% | %.1f %% | %d |%n",
                    waits.size(),
                    percentile(waits, 50),
                    percentile(waits, 99),
                    waits.getLast(),
                    total,
                    100.0 * claims.getOrDefault("a", 0) / total,
                    100.0 * claims.getOrDefault("b", 0) / total,
                    aLeft);
        } finally {
            for (Process worker : workers) {
                worker.destroy();
            }
            for (Process worker : workers) {
                if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                }
            }
            try (Connection admin = DriverManager.getConnection(server);
                    Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    static JobSubmission submission(String tenant, int n) throws IOException {
        return JobSubmission.of(tenant, "one", JSON.readTree("{\"text\": \"" + tenant + " " + n + "\"}"))
                .withPriority(JobPriority.BATCH);
    }

    static AttemptRecord awaitFirstAttempt(JobStore store, Job job) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            Optional<AttemptRecord> first =
                    store.attempts(job.tenant(), job.id()).stream().findFirst();
            if (first.isPresent()) {
                return first.get();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("job " + job.id() + " of tenant B was never claimed");
    }

    /** The claims (attempts started) per tenant between {@code from} and {@code to}, inclusive. */
    static Map<String, Integer> claimsBetween(String url, Instant from, Instant to) throws Exception {
        Map<String, Integer> claims = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url);
                var statement = connection.prepareStatement("SELECT j.tenant, COUNT(*) FROM job_attempts a"
                        + " JOIN jobs j ON j.id = a.job_id WHERE a.started_at BETWEEN ? AND ? GROUP BY j.tenant")) {
            statement.setLong(1, from.toEpochMilli());
            statement.setLong(2, to.toEpochMilli());
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    claims.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return claims;
    }

    static long queued(String url, String tenant) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
                var statement =
                        connection.prepareStatement("SELECT COUNT(*) FROM jobs WHERE tenant = ? AND status = 'queued'")) {
            statement.setString(1, tenant);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    static Process start(Path config, int opsPort, Path folder, String name) throws IOException {
        return new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx384m",
                        "-jar",
                        Path.of("target/pipewright.jar").toAbsolutePath().toString(),
                        "serve",
                        "--role",
                        "worker",
                        "--workers",
                        "1",
                        "--jobs-per-worker",
                        Integer.toString(JOBS_PER_PROCESS),
                        "--ops-port",
                        Integer.toString(opsPort),
                        "-c",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve(name + ".log").toFile())
                .start();
    }

    static void awaitLive(int port) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
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
        throw new IllegalStateException("worker with operations port " + port + " never came up");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
