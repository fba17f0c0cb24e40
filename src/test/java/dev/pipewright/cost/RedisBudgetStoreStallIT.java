package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lettuce.core.RedisCommandTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis that stops answering fails a budget check within the store's command timeout, with a message that names
 * the store: the real Redis behind a proxy that can stop passing the client's commands on.
 */
class RedisBudgetStoreStallIT {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private ServerSocket proxy;
    private volatile boolean stalled;
    private RedisBudgetStore store;

    @BeforeEach
    void start() throws IOException {
        proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
        store = RedisBudgetStore.connect(
                URI.create("redis://127.0.0.1:" + proxy.getLocalPort()), "test-" + UUID.randomUUID() + ":");
    }

    @AfterEach
    void stop() throws IOException {
        store.close();
        proxy.close();
    }

    private void accept() {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Socket redis = new Socket("127.0.0.1", 6379);
                Thread.ofVirtual().start(() -> pump(client, redis, true));
                Thread.ofVirtual().start(() -> pump(redis, client, false));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Copies {@code from} to {@code to}; a command from the client is swallowed while the proxy is stalled. */
    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[8192];
        try (from;
                to;
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (!(fromClient && stalled)) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // One side closed; the try closes both.
        }
    }

    @Test
    void a_stalled_redis_fails_a_reservation_within_the_command_timeout_naming_the_store() {
        // given: the store works through the proxy
        BudgetStore.Hold hold = new BudgetStore.Hold("tenant/acme/daily", NOW.toEpochMilli(), 100);
        assertThat(store.spend(hold, NOW)).isEqualTo(new BudgetStore.Spend(0, 0));

        // when
        stalled = true;
        long started = System.nanoTime();
        RedisCommandTimeoutException failure = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> catchThrowableOfType(
                        RedisCommandTimeoutException.class,
                        () -> store.reserve("a", List.of(hold), 10, NOW, NOW.plusSeconds(60), false)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then
        assertThat(failure).hasMessage("the Redis budget store did not answer reserve within 1000 ms");
        assertThat(took).isBetween(RedisBudgetStore.COMMAND_TIMEOUT, RedisBudgetStore.COMMAND_TIMEOUT.multipliedBy(3));
    }
}
