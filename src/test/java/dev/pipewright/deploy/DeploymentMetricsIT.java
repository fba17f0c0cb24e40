package dev.pipewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The deployment's roles as the packaged jar runs them, on the Compose stack's own configuration files: a model
 * service, a gateway that reaches it over the OpenAI-compatible API, and a worker with only its operations port.
 * What the autoscalers scale on must come out of their {@code /metrics}: every series the Prometheus Adapter's rules
 * read. Hosts are this machine's: SQLite instead of the stack's PostgreSQL, and no Redis (its client gives up on a
 * connection that takes a second, which three JVMs starting on a loaded machine can take; RateLimitAcrossReplicasIT
 * and RedisResponseCacheIT cover Redis).
 */
class DeploymentMetricsIT {
    private static final String MASTER_KEY = "deployment-test-master-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path COMPOSE = Path.of("deploy/compose");

    @TempDir
    Path folder;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        http.close();
    }

    @Test
    void the_roles_serve_the_stack_and_export_every_series_the_autoscalers_scale_on() throws Exception {
        // given: the model service, then a gateway and a worker on the stack's configuration with local hosts
        int modelPort = freePort();
        serve("model", COMPOSE.resolve("model.yaml"), "--port", Integer.toString(modelPort));
        Path config = localConfig(modelPort);
        int gatewayPort = freePort();
        int workerOpsPort = freePort();
        awaitLive(modelPort);
        serve("gateway", config, "--port", Integer.toString(gatewayPort));
        awaitLive(gatewayPort);
        serve("worker", config, "--ops-port", Integer.toString(workerOpsPort));
        awaitLive(workerOpsPort);
        assertThat(processes).as(logs()).allMatch(Process::isAlive);

        // when: a pipeline through the gateway and the model service, and a job the worker runs
        HttpResponse<String> run = post(
                gatewayPort,
                "/v1/pipelines/analyze",
                "{\"input\": {\"text\": \"Quarterly revenue grew 12% on cloud contracts.\"}}");
        HttpResponse<String> job = post(
                gatewayPort,
                "/v1/jobs",
                "{\"pipeline\": \"document-chain\", \"input\": {\"text\": \"Pipewright runs pipelines. Workers claim jobs from the queue.\"}}");
        String jobId = JSON.readTree(job.body()).path("job_id").asText();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> JSON.readTree(
                                        get(gatewayPort, "/v1/jobs/" + jobId).body())
                                .path("status")
                                .asText(),
                        status -> status.equals("succeeded") || status.equals("dead"));

        // then
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode results = JSON.readTree(run.body()).path("results");
        assertThat(results.path("classification").asText()).isNotBlank();
        assertThat(results.path("embedding").size()).isEqualTo(384);
        assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
        assertThat(JSON.readTree(get(gatewayPort, "/v1/jobs/" + jobId).body())
                        .path("status")
                        .asText())
                .as(logs())
                .isEqualTo("succeeded");

        PrometheusAdapterRules rules = PrometheusAdapterRules.load();
        String gateway = get(gatewayPort, "/metrics").body();
        String worker = get(workerOpsPort, "/metrics").body();
        String model = get(modelPort, "/metrics").body();
        assertThat(rules.series()).isNotEmpty();
        for (String series : rules.series()) {
            assertThat(exported(gateway, series) || exported(worker, series))
                    .as("%s is exported by a gateway or a worker", series)
                    .isTrue();
        }
        assertThat(gateway)
                .containsPattern(
                        "pipewright_gateway_request_duration_seconds_bucket\\{[^}]*route=\"/v1/pipelines/\\{name}\"");
        assertThat(worker).containsPattern("(?m)^pipewright_queue_depth ");
        assertThat(model).contains("pipewright_model_call_duration_seconds_bucket");
        assertThat(get(workerOpsPort, "/health/ready").statusCode()).isEqualTo(200);
        assertThat(get(workerOpsPort, "/v1/pipelines").statusCode())
                .as("a worker serves no API")
                .isEqualTo(404);
    }

    /** The Compose configuration with this machine's hosts: the model service's port, SQLite, no Redis. */
    private Path localConfig(int modelPort) throws IOException {
        String stack = Files.readString(COMPOSE.resolve("pipewright.yaml"));
        String local = stack.replace("http://model:8081/v1", "http://127.0.0.1:" + modelPort + "/v1")
                .replace(
                        "jdbc:postgresql://postgres:5432/pipewright?user=pipewright",
                        "jdbc:sqlite:" + folder.resolve("pipewright.db"))
                .replace("redis: {url: \"redis://redis:6379\"}\n", "")
                .replace("cache: {ttl: 10m, redis: true}\n", "cache: {ttl: 10m}\n");
        assertThat(local).doesNotContain("//model:", "//postgres:", "redis");
        return Files.writeString(folder.resolve("pipewright.yaml"), local);
    }

    private void serve(String role, Path config, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                Path.of("target/pipewright.jar").toAbsolutePath().toString(),
                "serve",
                "--role",
                role,
                "--host",
                "127.0.0.1",
                "-c",
                config.toAbsolutePath().toString()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve(role + ".log").toFile());
        builder.environment().put("PIPEWRIGHT_MASTER_KEY", MASTER_KEY);
        processes.add(builder.start());
    }

    private void awaitLive(int port) {
        await().atMost(Duration.ofSeconds(120))
                .until(() -> live(port) || processes.stream().anyMatch(p -> !p.isAlive()));
    }

    private static boolean exported(String scrape, String series) {
        return scrape.lines().anyMatch(line -> line.startsWith(series + "{") || line.startsWith(series + " "));
    }

    private boolean live(int port) {
        try {
            return get(port, "/health/live").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + MASTER_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + MASTER_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String logs() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String role : List.of("model", "gateway", "worker")) {
            Path log = folder.resolve(role + ".log");
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                text.append("== ").append(role).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size())
                        .forEach(l -> text.append(l).append('\n'));
            }
        }
        return text.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
