package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipewright.gateway.auth.ApiKeys;
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
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code pipewright serve} processes on one Redis share one limit: together they admit the tenant's rpm (plus
 * what refills while the test runs), not twice it.
 */
class RateLimitAcrossReplicasIT {
    private static final int RPM = 600;
    private static final int REQUESTS_PER_REPLICA = RPM;
    private static final int CLIENTS_PER_REPLICA = 8;
    private static final String KEY = "pw_replicas-test-key";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private final List<Process> replicas = new ArrayList<>();

    @AfterEach
    void stopReplicas() throws InterruptedException {
        for (Process replica : replicas) {
            replica.destroy();
        }
        for (Process replica : replicas) {
            if (!replica.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                replica.destroyForcibly();
            }
        }
    }

    @Test
    void two_replicas_on_one_redis_admit_the_limit_once() throws Exception {
        // given
        Path config = writeConfig("replicas-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        int[] ports = {freePort(), freePort()};
        for (int port : ports) {
            replicas.add(startReplica(config, port));
        }
        for (int i = 0; i < ports.length; i++) {
            awaitLive(replicas.get(i), ports[i]);
        }
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();

        // when
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(2 * CLIENTS_PER_REPLICA)) {
            List<Future<?>> work = new ArrayList<>();
            for (int port : ports) {
                for (int client = 0; client < CLIENTS_PER_REPLICA; client++) {
                    work.add(clients.submit(() -> {
                        for (int i = 0; i < REQUESTS_PER_REPLICA / CLIENTS_PER_REPLICA; i++) {
                            int status = run(port);
                            (status == 200 ? admitted : refused).incrementAndGet();
                            assertThat(status).isIn(200, 429);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> done : work) {
                done.get();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        // then
        double refilled =
                RPM * elapsed.toNanos() / (double) Duration.ofMinutes(1).toNanos();
        assertThat(admitted.get() + refused.get()).isEqualTo(2 * REQUESTS_PER_REPLICA);
        assertThat(admitted.get())
                .as("admitted in %s, during which %.1f requests refilled", elapsed, refilled)
                .isBetween((int) Math.floor(RPM * 0.99), (int) Math.ceil(RPM * 1.01 + refilled));
    }

    private Path writeConfig(String tenant) throws IOException {
        Path config = dir.resolve("pipewright.yaml");
        Files.writeString(config, """
                redis: {url: "%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat, simulation: {latency: 1ms}}
                pipelines:
                  echo:
                    steps:
                      answer: {model: chat, prompt: "Answer: {{input.text}}"}
                tenants:
                  %s: {api_keys: ["%s"], rpm: %d, tpm: 10000000}
                """.formatted(
                System.getProperty("pipewright.test.redis", "redis://127.0.0.1:6379"), tenant, ApiKeys.hash(KEY), RPM));
        return config;
    }

    private Process startReplica(Path config, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        // Two small JVMs that start fast on a busy machine; the test measures admissions, not speed.
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "serve",
                        "--config",
                        config.toString(),
                        "--port",
                        Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(logOf(port).toFile());
        builder.environment().remove("PIPEWRIGHT_MASTER_KEY");
        return builder.start();
    }

    private void awaitLive(Process replica, int port) {
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!replica.isAlive()) {
                        throw new AssertionError("the replica on port " + port + " exited with " + replica.exitValue()
                                + ":\n" + Files.readString(logOf(port)));
                    }
                    return isLive(port);
                });
    }

    private Path logOf(int port) {
        return dir.resolve("replica-" + port + ".log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean isLive(int port) {
        try {
            return HTTP.send(
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

    private static int run(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/pipelines/echo"))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"hello\"}}"))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
