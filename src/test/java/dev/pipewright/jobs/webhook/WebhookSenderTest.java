package dev.pipewright.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.AllowedTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
    private final WebhookSender sender = new WebhookSender(
            new WebhookTargets(List.of(AllowedTarget.parse("127.0.0.1")), HostResolver.system()),
            WebhookSettings.defaults());

    @Test
    void a_2xx_answer_without_a_length_is_a_delivery() throws Exception {
        // given a receiver that answers as a bare HTTP/1.0 server does: no Content-Length, then it closes
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerOnce(server, "HTTP/1.0 200 OK\r\nServer: bare\r\n\r\nok"));

            // when
            DeliveryResult result = send("http://127.0.0.1:" + server.getLocalPort() + "/hook");

            // then
            assertThat(result).isEqualTo(new DeliveryResult.Delivered(200));
        }
    }

    @Test
    void a_failure_names_the_status_and_the_start_of_the_answer() throws Exception {
        // given
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual()
                    .start(() -> answerOnce(
                            server, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 13\r\n\r\ndatabase down"));

            // when
            DeliveryResult result = send("http://127.0.0.1:" + server.getLocalPort() + "/hook");

            // then
            assertThat(result)
                    .isEqualTo(new DeliveryResult.Failed(500, "the receiver answered 500: database down", true));
        }
    }

    @Test
    void a_target_refused_at_delivery_is_not_retried() {
        // when
        DeliveryResult result = send("http://10.9.8.7/hook");

        // then
        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Failed.class, failed -> {
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.reason()).contains("a private address (10.0.0.0/8)");
        });
    }

    private DeliveryResult send(String url) {
        return sender.send(
                url,
                "whd_1",
                "job.succeeded",
                "{}".getBytes(StandardCharsets.UTF_8),
                "secret".getBytes(StandardCharsets.UTF_8),
                Instant.now());
    }

    /** Reads the request head and body (the test's body is 2 bytes), writes {@code answer}, closes. */
    private static void answerOnce(ServerSocket server, String answer) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    return;
                }
                head.append((char) next);
            }
            in.readNBytes(2);
            OutputStream out = socket.getOutputStream();
            out.write(answer.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException closed) {
            // The test's assertion reports what the sender saw.
        }
    }
}
