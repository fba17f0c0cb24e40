package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The API key never reaches an exception message or a log line, even when the server echoes it back. */
class OpenAiSecretsTest {
    private static final String KEY = "sk-test-leaked-KEY-0123456789";
    private static final ModelRequest.Chat HELLO = ModelRequest.Chat.of(ChatMessage.user("Hello?"));
    private static final CallOptions OPTIONS = new CallOptions("gpt-4o-mini", Duration.ofSeconds(5), "secret-1");

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final java.util.logging.Logger helidonLog = java.util.logging.Logger.getLogger("io.helidon");
    private final java.util.logging.Level helidonLevel = helidonLog.getLevel();
    private final Handler julCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()) + " "
                    + (record.getThrown() == null ? "" : messages(record.getThrown())));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final Logger pipewrightLog = (Logger) LoggerFactory.getLogger("dev.pipewright");
    private final ListAppender<ILoggingEvent> logbackCapture = new ListAppender<>();
    private MockWebServer server;

    @BeforeEach
    void captureLogs() throws Exception {
        helidonLog.setLevel(java.util.logging.Level.ALL);
        helidonLog.addHandler(julCapture);
        logbackCapture.start();
        pipewrightLog.addAppender(logbackCapture);
        pipewrightLog.setLevel(Level.TRACE);
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void release() {
        server.close();
        helidonLog.removeHandler(julCapture);
        helidonLog.setLevel(helidonLevel);
        pipewrightLog.detachAppender(logbackCapture);
        pipewrightLog.setLevel(null);
    }

    private static OpenAiModelClient clientAt(URI baseUrl) {
        ProviderConfig provider =
                new ProviderConfig("openai", ProviderKind.OPENAI, Optional.of("OPENAI_API_KEY"), Optional.of(baseUrl));
        return new OpenAiModelClient(provider, name -> Optional.of(KEY), Clock.system());
    }

    @Test
    void the_key_appears_in_no_message_and_no_log_line_whatever_fails() throws Exception {
        // given
        OpenAiModelClient client = clientAt(server.url("/v1").uri());
        server.enqueue(new MockResponse.Builder()
                .code(401)
                .body(Fixtures.read("error-invalid-api-key.json"))
                .build());
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body("data: {\"error\":{\"message\":\"bad key " + KEY + "\",\"type\":\"server_error\"}}\n\n")
                .build());
        server.enqueue(new MockResponse.Builder()
                .body("{\"echo\": \"" + KEY + "\", truncated")
                .build());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OpenAiModelClient refused = clientAt(URI.create("http://127.0.0.1:" + closedPort + "/v1"));

        // when
        List<ModelException> failures = List.of(
                catchThrowableOfType(ModelException.class, () -> client.chat(HELLO, OPTIONS)),
                catchThrowableOfType(ModelException.class, () -> client.stream(HELLO, OPTIONS, piece -> {})),
                catchThrowableOfType(ModelException.class, () -> client.chat(HELLO, OPTIONS)),
                catchThrowableOfType(ModelException.class, () -> refused.chat(HELLO, OPTIONS)));

        // then
        assertThat(failures).doesNotContainNull();
        assertThat(failures.getFirst().getMessage()).contains("Incorrect API key provided: [redacted]");
        for (ModelException failure : failures) {
            assertThat(messages(failure)).doesNotContain(KEY);
        }
        logbackCapture.list.forEach(event -> logLines.add(event.getFormattedMessage()));
        assertThat(logLines).noneMatch(line -> line.contains(KEY));
    }

    private static String messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(cause.toString());
        }
        return String.join(" <- ", messages);
    }
}
