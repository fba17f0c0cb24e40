import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.jobs.QueueStats;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.jobs.WorkerSettings;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.resilience.CircuitBreakerInterceptor;
import dev.pipewright.resilience.ResilienceChain;
import dev.pipewright.resilience.TimeoutInterceptor;
import dev.pipewright.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * End-to-end job throughput: a 3-step chain on zero-latency simulated models, enqueued and run through the durable
 * queue, on SQLite and PostgreSQL with 1 and 4 workers (8 jobs each at a time). Beside it, in the same run, the
 * store's raw durable-commit rate: one connection, single-row INSERT + COMMIT in a loop. A job costs 6 durable
 * commits (enqueue, claim, 3 journaled steps, complete), so jobs/s × 6 ÷ raw commits/s says how much of the
 * database's commit capacity the queue turns into work.
 *
 * Run from the repository root after building: bench/jobs/run [JOBS].
 */
public final class JobsThroughput {
    static final int WRITES_PER_JOB = 6;
    static final String CONFIG = """
            providers:
              sim: {kind: simulated}
            models:
              first: {provider: sim, model: bench-first, simulation: {latency: 0ms}}
              second: {provider: sim, model: bench-second, simulation: {latency: 0ms}}
              third: {provider: sim, model: bench-third, simulation: {latency: 0ms}}
            pipelines:
              chain:
                deadline: 30s
                steps:
                  one: {model: first, prompt: "one {{input.text}}"}
                  two: {model: second, needs: [one], prompt: "two {{steps.one.text}}"}
                  three: {model: third, needs: [two], prompt: "three {{steps.two.text}}"}
                output: {result: three}
            """;

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        String postgres = System.getenv().getOrDefault(
                "BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        PipewrightConfig config = ConfigLoader.parse(CONFIG, "bench");
        PipelineExecutor executor = executor(config);
        System.out.printf("JVM %s, %d cores; %d jobs per measurement%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), jobs);
        System.out.println("| store | workers | jobs/s | raw commits/s | jobs/s × 6 ÷ raw commits/s |");
        System.out.println("| --- | --- | --- | --- | --- |");
        Path folder = Files.createTempDirectory("pipewright-bench");
        String schema = "bench_jobs_" + System.currentTimeMillis();
        try (Connection admin = DriverManager.getConnection(postgres);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        try {
            int round = 0;
            for (String store : new String[] {"SQLite", "PostgreSQL"}) {
                for (int workers : new int[] {1, 4}) {
                    round++;
                    String url = store.equals("SQLite")
                            ? "jdbc:sqlite:" + folder.resolve("bench-" + round + ".db")
                            : postgres + "&currentSchema=" + schema;
                    measure(store, url, workers, jobs, config, executor);
                }
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(postgres);
                    Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    static void measure(String name, String url, int workers, int jobs, PipewrightConfig config,
            PipelineExecutor executor) throws Exception {
        try (Database database = Database.open(new StorageConfig(url))) {
            JobStore store = JobStores.open(database, Clock.system());
            empty(database);
            run(store, 1, 50, config, executor); // warm-up, not reported
            double raw = rawCommitsPerSecond(database);
            double jobsPerSecond = run(store, workers, jobs, config, executor);
            System.out.printf("| %s | %d | %.0f | %.0f | %.2f |%n",
                    name, workers, jobsPerSecond, raw, jobsPerSecond * WRITES_PER_JOB / raw);
        }
    }

    /** Enqueues {@code jobs} while the workers run them; the time from the first enqueue to the last completion. */
    static double run(JobStore store, int workers, int jobs, PipewrightConfig config, PipelineExecutor executor)
            throws InterruptedException {
        ObjectNode input = new ObjectMapper().createObjectNode().put("text", "Quarterly revenue grew 12%.");
        WorkerSettings settings = WorkerSettings.defaults("bench").withConcurrency(8);
        RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
        long start = System.nanoTime();
        try (WorkerPool pool = WorkerPool.start(workers, store, executor, () -> config, Clock.system(), random, settings)) {
            for (int i = 0; i < jobs; i++) {
                store.enqueue(JobSubmission.of("bench", "chain", input));
            }
            while (true) {
                QueueStats stats = store.stats();
                if (stats.queueDepth() == 0 && stats.inFlight() == 0) {
                    break;
                }
                Thread.sleep(5);
            }
            return jobs / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** One connection, one row per transaction, for three seconds. */
    static double rawCommitsPerSecond(Database database) throws Exception {
        try (Connection connection = database.dataSource().getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS bench_commits (id BIGINT, payload TEXT)");
            }
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(3).toNanos();
            int commits = 0;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO bench_commits (id, payload) VALUES (?, ?)")) {
                while (System.nanoTime() < deadline) {
                    insert.setLong(1, commits);
                    insert.setString(2, "a row about the size of a journal entry");
                    insert.executeUpdate();
                    connection.commit();
                    commits++;
                }
            }
            double perSecond = commits / ((System.nanoTime() - start) / 1e9);
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE bench_commits");
            }
            connection.commit();
            return perSecond;
        }
    }

    static void empty(Database database) {
        database.inTransaction("empty", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM job_steps");
                statement.executeUpdate("DELETE FROM job_attempts");
                return statement.executeUpdate("DELETE FROM jobs");
            }
        });
    }

    static PipelineExecutor executor(PipewrightConfig config) {
        Clock clock = Clock.system();
        RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
        Map<String, SimulationConfig> profiles = new LinkedHashMap<>();
        config.models().values().forEach(model -> profiles.put(model.model(), model.simulation()));
        SimulatedModelClient client = new SimulatedModelClient(SimulationProfiles.of(profiles), clock, random);
        ModelCall call = new ModelCall(
                ResilienceChain.standard(config::model, clock, random, TimeoutInterceptor.newWatchdog(),
                        new CircuitBreakerInterceptor(clock)),
                model -> client,
                config::model,
                clock);
        return new PipelineExecutor(call, config::model, clock);
    }
}
