package dev.pipewright.cli;

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
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged binary stops while streams are open: a simulated model sends half its answer and then stalls for
 * longer than the drain timeout, so each stream is still open when the timeout hits. Each must end with an error
 * event in its own wire format, and the process must exit 0.
 */
class DrainStreamsIT {
    private static final String MASTER_KEY = "drain-streams-master-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private final HttpClient http = HttpClient.newHttpClient();
    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        http.close();
        if (server != null) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The lines of one open event stream, read on their own thread as they arrive; {@code ended} completes with how
     * the stream ended: normally (empty) or with the error the connection broke with.
     */
    private record OpenStream(int status, List<String> lines, CompletableFuture<Optional<Exception>> ended) {}

    @Test
    void streams_open_when_the_drain_timeout_hits_end_with_an_error_event_and_the_process_exits_0() throws Exception {
        // given: an OpenAI and an Anthropic stream that each received their first pieces
        int port = freePort();
        server = serve(config(), port);
        OpenStream openAi = open(port, "/v1/chat/completions", """
                {"model": "stalling", "stream": true, "messages": [{"role": "user", "content": "tell me a story"}]}
                """);
        OpenStream anthropic = open(port, "/v1/messages", """
                {"model": "stalling", "stream": true, "max_tokens": 64,
                 "messages": [{"role": "user", "content": "tell me a story"}]}
                """);
        assertThat(openAi.status()).isEqualTo(200);
        assertThat(anthropic.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> openAi.lines().stream().anyMatch(line -> line.contains("\"content\":\"")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> anthropic.lines().stream().anyMatch(line -> line.contains("text_delta")));

        // when: SIGTERM with a 1s drain timeout while the model stalls
        server.destroy();
        boolean exited = server.waitFor(60, TimeUnit.SECONDS);

        // then
        assertThat(openAi.ended().get(30, TimeUnit.SECONDS))
                .as("%s%n%s", openAi.lines(), log())
                .isEmpty();
        assertThat(anthropic.ended().get(30, TimeUnit.SECONDS))
                .as("%s%n%s", anthropic.lines(), log())
                .isEmpty();
        assertThat(exited).as(log()).isTrue();
        assertThat(server.exitValue()).as(log()).isZero();

        List<String> openAiData = data(openAi.lines());
        JsonNode openAiLast = JSON.readTree(openAiData.getLast());
        assertThat(openAiLast.path("error").path("code").asText()).isEqualTo("server_shutting_down");
        assertThat(openAiLast.path("error").path("message").asText()).contains("shutting down");
        assertThat(openAiData).noneMatch(line -> line.equals("[DONE]"));

        List<String> anthropicEvents = events(anthropic.lines());
        assertThat(anthropicEvents.getLast()).isEqualTo("error");
        assertThat(anthropicEvents).doesNotContain("message_stop");
        JsonNode anthropicLast = JSON.readTree(data(anthropic.lines()).getLast());
        assertThat(anthropicLast.path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(log()).contains("interrupting them");
    }

    private OpenStream open(int port, String path, String body) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + MASTER_KEY)
                        .header("x-api-key", MASTER_KEY)
                        .header("anthropic-version", "2023-06-01")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Optional<Exception>> ended = CompletableFuture.supplyAsync(() -> {
            try {
                Iterator<String> each = response.body().iterator();
                while (each.hasNext()) {
                    lines.add(each.next());
                }
                return Optional.empty();
            } catch (RuntimeException broken) {
                return Optional.of(broken);
            }
        });
        return new OpenStream(response.statusCode(), lines, ended);
    }

    private static List<String> data(List<String> lines) {
        List<String> data = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("data: ")) {
                data.add(line.substring("data: ".length()));
            }
        }
        return data;
    }

    private static List<String> events(List<String> lines) {
        return lines.stream()
                .filter(line -> line.startsWith("event: "))
                .map(line -> line.substring("event: ".length()))
                .toList();
    }

    private Process serve(Path config, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-jar",
                        Path.of("target/pipewright.jar").toAbsolutePath().toString(),
                        "serve",
                        "--role",
                        "gateway",
                        "--port",
                        Integer.toString(port),
                        "-c",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("serve.log").toFile());
        builder.environment().put("PIPEWRIGHT_MASTER_KEY", MASTER_KEY);
        Process process = builder.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> healthy(port) || !process.isAlive());
        assertThat(process.isAlive()).as(log()).isTrue();
        return process;
    }

    private String log() {
        try {
            return Files.readString(folder.resolve("serve.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private Path config() throws IOException {
        return Files.writeString(folder.resolve("pipewright.yaml"), """
                server: {drain_timeout: 1s}
                storage: {url: "jdbc:sqlite:%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  stalling:
                    provider: sim
                    model: stalling-2025-01-01
                    timeout: 120s
                    stream: {idle_timeout: 120s}
                    simulation: {latency: 10ms, fault: stream-stall, fault_rate: 1, output_tokens: 40}
                """.formatted(folder.resolve("pipewright.db")));
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
