package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobStatus;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged binary's roles: {@code serve --role worker} runs queued jobs, {@code --role gateway} does not, and
 * {@code --role model} serves only the in-process models.
 */
class ServeRolesIT {
    private static final String MASTER_KEY = "roles-test-master-key";

    @TempDir
    Path folder;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_worker_role_runs_the_queued_jobs_and_a_gateway_role_serves_http_without_running_them() throws Exception {
        // given
        Path config = config();
        int port = freePort();
        Process gateway = serve(config, "gateway", port);
        try (Database database = Database.open(new StorageConfig(storageUrl()))) {
            JobStore store = JobStores.open(database, Clock.system());
            Job job = store.enqueue(JobSubmission.of(
                            "default",
                            "chain",
                            new ObjectMapper().createObjectNode().put("text", "hello")))
                    .job();
            await().atMost(Duration.ofSeconds(180)).until(() -> healthy(port) || !gateway.isAlive());
            assertThat(gateway.isAlive())
                    .as(Files.readString(folder.resolve("gateway.log")))
                    .isTrue();
            assertThat(store.find("default", job.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);

            // when
            serve(config, "worker", port);

            // then
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> store.find("default", job.id()).orElseThrow().status() == JobStatus.SUCCEEDED);
            assertThat(store.find("default", job.id())
                            .orElseThrow()
                            .result()
                            .orElseThrow()
                            .path("results")
                            .has("result"))
                    .isTrue();
        }
    }

    @Test
    void a_model_role_serves_only_the_in_process_models_over_the_openai_compatible_api() throws Exception {
        // given
        Path config = Files.writeString(folder.resolve("model.yaml"), """
                storage: {url: "%s"}
                providers:
                  local: {kind: local}
                  sim: {kind: simulated}
                models:
                  local-embedding: {provider: local, model: all-minilm-l6-v2-q, type: embedding}
                  first: {provider: sim, model: first-2025-01-01}
                pipelines:
                  chain:
                    steps:
                      one: {model: first, prompt: "one {{input.text}}"}
                """.formatted(storageUrl()));
        int port = freePort();

        // when
        Process model = serve(config, "model", port);
        await().atMost(Duration.ofSeconds(180)).until(() -> healthy(port) || !model.isAlive());

        // then
        assertThat(model.isAlive())
                .as(Files.readString(folder.resolve("model.log")))
                .isTrue();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> models = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                            .header("Authorization", "Bearer " + MASTER_KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(new ObjectMapper().readTree(models.body()).path("data").findValuesAsText("id"))
                    .containsExactly("local-embedding");
            HttpResponse<String> embedding = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/embeddings"))
                            .header("Authorization", "Bearer " + MASTER_KEY)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\": \"local-embedding\", \"input\": \"a model service\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(embedding.statusCode()).as(embedding.body()).isEqualTo(200);
            assertThat(new ObjectMapper()
                            .readTree(embedding.body())
                            .path("data")
                            .get(0)
                            .path("embedding")
                            .size())
                    .isEqualTo(384);
        }
    }

    private Process serve(Path config, String role, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-jar",
                        Path.of("target/pipewright.jar").toAbsolutePath().toString(),
                        "serve",
                        "--role",
                        role,
                        "--port",
                        Integer.toString(port),
                        "-c",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve(role + ".log").toFile());
        builder.environment().put("PIPEWRIGHT_MASTER_KEY", MASTER_KEY);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private String storageUrl() {
        return "jdbc:sqlite:" + folder.resolve("pipewright.db");
    }

    private Path config() throws IOException {
        return Files.writeString(folder.resolve("pipewright.yaml"), """
                storage: {url: "%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  first: {provider: sim, model: first-2025-01-01, simulation: {latency: 5ms}}
                pipelines:
                  chain:
                    deadline: 30s
                    steps:
                      one: {model: first, prompt: "one {{input.text}}"}
                      two: {model: first, needs: [one], prompt: "two {{steps.one.text}}"}
                    output: {result: two}
                """.formatted(storageUrl()));
    }

    private static boolean healthy(int port) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
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
