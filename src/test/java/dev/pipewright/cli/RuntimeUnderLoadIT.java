package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged binary under steady load from clients on the simulator: configuration reloads drop no request, and a
 * SIGTERM drains: every request sent before the signal is answered, every accepted job ends up done or back in the
 * queue with its attempt given back, and the process exits 0. Assertions are on outcomes, never on timings.
 */
class RuntimeUnderLoadIT {
    private static final String MASTER_KEY = "runtime-load-master-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private final List<Process> processes = new ArrayList<>();
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newHttpClient();

    /** One answered request: when it was sent (nanoTime), its status (0: no answer) and its Retry-After. */
    record Outcome(long sentAt, int status, Optional<String> retryAfter, String body) {}

    @AfterEach
    void stop() throws InterruptedException {
        clients.shutdownNow();
        http.close();
        for (Process process : processes) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ten_reloads_under_steady_load_fail_no_request() throws Exception {
        // given
        Path config = config("10ms", "One", "30s");
        int port = freePort();
        serve(config, port, "reloads");
        AtomicBoolean loading = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        List<Future<?>> load = startLoad(port, 6, loading, outcomes, false);

        // when
        List<Integer> reloads = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            long before = outcomes.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() >= before + 20);
            config("" + (5 + i) + "ms", "Round " + i, "30s");
            reloads.add(send(port, "POST", "/admin/reload", "").statusCode());
        }
        long before = outcomes.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() >= before + 20);
        loading.set(false);
        for (Future<?> client : load) {
            client.get();
        }

        // then
        assertThat(reloads).containsOnly(200);
        assertThat(outcomes).hasSizeGreaterThan(200);
        assertThat(outcomes)
                .allSatisfy(outcome ->
                        assertThat(outcome.status()).as(outcome.body()).isEqualTo(200));
        JsonNode shown = JSON.readTree(send(port, "GET", "/admin/config", null).body());
        assertThat(shown.path("generation").asInt()).isEqualTo(11);
        assertThat(shown.path("reloads")).hasSize(10);
    }

    @Test
    void a_sigterm_under_load_answers_every_request_sent_before_it_and_loses_no_job() throws Exception {
        // given: steps slow enough that jobs are in flight when the signal comes, a short drain
        Path config = config("150ms", "One", "2s");
        int port = freePort();
        Process server = serve(config, port, "drain");
        AtomicBoolean loading = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        List<Future<?>> load = startLoad(port, 8, loading, outcomes, true);
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.size() >= 100);

        // when
        long signalAt = System.nanoTime();
        server.destroy();
        boolean exited = server.waitFor(60, TimeUnit.SECONDS);
        loading.set(false);
        for (Future<?> client : load) {
            client.get();
        }

        // then
        assertThat(exited).isTrue();
        assertThat(server.exitValue()).as(log("drain")).isZero();
        List<Outcome> sentBefore =
                outcomes.stream().filter(outcome -> outcome.sentAt() < signalAt).toList();
        assertThat(sentBefore)
                .isNotEmpty()
                .allSatisfy(outcome -> assertThat(outcome.status() == 200
                                || outcome.status() == 202
                                || (outcome.status() == 503
                                        && outcome.retryAfter().isPresent()))
                        .as(outcome.toString())
                        .isTrue());
        List<String> accepted = outcomes.stream()
                .filter(outcome -> outcome.status() == 202)
                .map(outcome -> jobId(outcome.body()))
                .toList();
        assertThat(accepted).isNotEmpty();
        try (Database database = Database.open(new StorageConfig(storageUrl()))) {
            JobStore store = JobStores.open(database, Clock.system());
            List<Job> jobs = accepted.stream()
                    .map(id -> store.find("default", id).orElseThrow())
                    .toList();
            assertThat(jobs).noneMatch(job -> job.status() == JobStatus.RUNNING);
            assertThat(jobs)
                    .filteredOn(job -> job.status() == JobStatus.QUEUED)
                    .allSatisfy(job -> assertThat(job.attempts()).isZero());
            assertThat(jobs).allMatch(job -> job.status() == JobStatus.SUCCEEDED || job.status() == JobStatus.QUEUED);

            // and a new process runs what was given back
            serve(config, freePort(), "after");
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> accepted.stream()
                            .allMatch(id ->
                                    store.find("default", id).orElseThrow().status() == JobStatus.SUCCEEDED));
        }
    }

    private List<Future<?>> startLoad(
            int port, int threads, AtomicBoolean loading, ConcurrentLinkedQueue<Outcome> outcomes, boolean jobs) {
        List<Future<?>> load = new ArrayList<>();
        AtomicLong counter = new AtomicLong();
        for (int i = 0; i < threads; i++) {
            boolean submitsJobs = jobs && i % 2 == 1;
            load.add(clients.submit(() -> {
                while (loading.get()) {
                    long n = counter.incrementAndGet();
                    long sentAt = System.nanoTime();
                    try {
                        HttpResponse<String> response = submitsJobs
                                ? send(
                                        port,
                                        "POST",
                                        "/v1/jobs",
                                        "{\"pipeline\": \"chain\", \"input\": {\"text\": \"job " + n + "\"}}")
                                : send(
                                        port,
                                        "POST",
                                        "/v1/pipelines/chain",
                                        "{\"input\": {\"text\": \"request " + n + "\"}}");
                        outcomes.add(new Outcome(
                                sentAt,
                                response.statusCode(),
                                response.headers().firstValue("Retry-After"),
                                response.body()));
                        if (response.statusCode() == 503) {
                            return null;
                        }
                    } catch (IOException refused) {
                        outcomes.add(new Outcome(sentAt, 0, Optional.empty(), refused.toString()));
                        return null;
                    }
                }
                return null;
            }));
        }
        return load;
    }

    private HttpResponse<String> send(int port, String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + MASTER_KEY)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String jobId(String body) {
        try {
            return JSON.readTree(body).path("job_id").asText();
        } catch (IOException e) {
            throw new AssertionError("a 202 without a JSON body: " + body, e);
        }
    }

    private Process serve(Path config, int port, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-jar",
                        Path.of("target/pipewright.jar").toAbsolutePath().toString(),
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--jobs-per-worker",
                        "4",
                        "-c",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve(name + ".log").toFile());
        builder.environment().put("PIPEWRIGHT_MASTER_KEY", MASTER_KEY);
        Process process = builder.start();
        processes.add(process);
        await().atMost(Duration.ofSeconds(180)).until(() -> healthy(port) || !process.isAlive());
        assertThat(process.isAlive()).as(log(name)).isTrue();
        return process;
    }

    private String log(String name) {
        try {
            return Files.readString(folder.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private String storageUrl() {
        return "jdbc:sqlite:" + folder.resolve("pipewright.db");
    }

    private Path config(String latency, String prompt, String drain) throws IOException {
        return Files.writeString(
                folder.resolve("pipewright.yaml"), """
                server: {drain_timeout: %s}
                storage: {url: "%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  first: {provider: sim, model: first-2025-01-01, simulation: {latency: %s}}
                pipelines:
                  chain:
                    deadline: 30s
                    steps:
                      one: {model: first, prompt: "%s {{input.text}}"}
                      two: {model: first, needs: [one], prompt: "two {{steps.one.text}}"}
                    output: {result: two, first: one}
                """.formatted(drain, storageUrl(), latency, prompt));
    }

    private boolean healthy(int port) {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
