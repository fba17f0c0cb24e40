package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.CallerGone;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamCancellationTest {
    private final CompatibleGateway gateway = new CompatibleGateway();

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void a_client_that_disconnects_mid_stream_cancels_the_upstream_call() throws Exception {
        // given
        String body = "{\"model\": \"endless-chat\", \"stream\": true, \"messages\": [{\"role\": \"user\","
                + " \"content\": \"go on forever\"}]}";
        byte[] request = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer test-key\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);

        // when
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.contains("piece1 "));
            assertThat(line).contains("chat.completion.chunk");
        }

        // then: the write that found the client gone unwound the model call, as a caller gone, not a model failure
        assertThat(gateway.endless.endedBy.get(10, TimeUnit.SECONDS)).isInstanceOf(CallerGone.class);
    }
}
