package dev.pipewright.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts the PostgreSQL server while workers run jobs on it. The restart breaks every other client of the server
 * for a second or two, so the test runs only where the server is its own: set {@code PIPEWRIGHT_RESTART_POSTGRES=1}
 * (CI does; builds sharing one server with other work leave it unset).
 */
@EnabledIfEnvironmentVariable(named = "PIPEWRIGHT_RESTART_POSTGRES", matches = "1")
class PostgresRestartIT {
    private static String url;

    @TempDir
    Path folder;

    @BeforeAll
    static void createSchema() {
        url = TestDatabases.freshPostgresSchema("jobs_restart");
    }

    @AfterAll
    static void dropSchema() {
        TestDatabases.dropPostgresSchema(url);
    }

    @Test
    void workers_reconnect_after_a_database_restart_and_every_job_completes_once() throws Exception {
        // given
        Clock clock = Clock.system();
        PipewrightConfig config = TestPipelines.config();
        CallLog calls = new CallLog(folder.resolve("calls.log"));
        CountingModelClient models =
                new CountingModelClient(clock, calls).slow(TestPipelines.SECOND, Duration.ofMillis(600));
        int jobs = 20;
        try (Database database = TestDatabases.open(url)) {
            JobStore store = JobStores.open(database, clock);
            List<Job> enqueued = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                enqueued.add(store.enqueue(JobSubmission.of(
                                "acme",
                                "chain",
                                new ObjectMapper().createObjectNode().put("text", "job " + i)))
                        .job());
            }
            WorkerSettings settings = WorkerSettings.defaults("w")
                    .withConcurrency(3)
                    .withTiming(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(1))
                    .withBackoff(new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
            try (WorkerPool pool = WorkerPool.start(
                    2,
                    store,
                    TestPipelines.executor(config, models, clock),
                    () -> config,
                    clock,
                    new SplittableRandom(3),
                    settings)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> calls.lines().size() >= 6);

                // when
                restartPostgres();

                // then
                await().atMost(Duration.ofSeconds(90))
                        .ignoreExceptions()
                        .until(() -> enqueued.stream()
                                .allMatch(job -> store.find("acme", job.id())
                                                .orElseThrow()
                                                .status()
                                        == JobStatus.SUCCEEDED));
            }
            assertThat(store.list(new JobQuery(
                                    "acme",
                                    java.util.Optional.of(JobStatus.SUCCEEDED),
                                    java.util.Optional.empty(),
                                    java.util.Optional.empty(),
                                    100))
                            .items())
                    .hasSize(jobs);
            assertThat(calls.counts().values())
                    .allSatisfy(count -> assertThat(count).isBetween(1L, 2L));
            assertThat(calls.counts()).hasSize(3 * jobs);
        }
    }

    private void restartPostgres() throws IOException, InterruptedException {
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            String version = versions.findFirst().orElseThrow().getFileName().toString();
            Process restart = new ProcessBuilder(
                            "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve("pg_ctlcluster.log").toFile())
                    .start();
            assertThat(restart.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(restart.exitValue())
                    .as(Files.readString(folder.resolve("pg_ctlcluster.log")))
                    .isZero();
        }
    }
}
