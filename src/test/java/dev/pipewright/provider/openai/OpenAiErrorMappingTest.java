package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error OpenAI documents, sorted by whether a retry helps, from the status and the body's code or type. */
class OpenAiErrorMappingTest {
    /** The key the invalid-api-key fixture echoes back, as OpenAI quotes a wrong key in its 401 message. */
    private static final String KEY = "sk-test-leaked-KEY-0123456789";

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private MockWebServer server;
    private OpenAiModelClient client;

    record Row(
            int status,
            String fixture,
            List<String> headers,
            Class<? extends ModelError> expected,
            Optional<Duration> retryAfter) {
        @Override
        public String toString() {
            return status + " " + fixture + " " + headers + " -> " + expected.getSimpleName();
        }
    }

    static Stream<Row> errors() {
        return Stream.of(
                new Row(
                        429,
                        "error-rate-limit.json",
                        List.of("retry-after-ms", "1500", "retry-after", "2"),
                        ModelError.RateLimited.class,
                        Optional.of(Duration.ofMillis(1500))),
                new Row(
                        429,
                        "error-rate-limit.json",
                        List.of("retry-after", "20"),
                        ModelError.RateLimited.class,
                        Optional.of(Duration.ofSeconds(20))),
                new Row(429, "error-rate-limit.json", List.of(), ModelError.RateLimited.class, Optional.empty()),
                new Row(429, "error-insufficient-quota.json", List.of(), ModelError.AuthFailed.class, Optional.empty()),
                new Row(
                        400,
                        "error-context-length.json",
                        List.of(),
                        ModelError.ContextLengthExceeded.class,
                        Optional.empty()),
                new Row(
                        400,
                        "error-content-policy.json",
                        List.of(),
                        ModelError.ContentFiltered.class,
                        Optional.empty()),
                new Row(
                        400,
                        "error-content-filter.json",
                        List.of(),
                        ModelError.ContentFiltered.class,
                        Optional.empty()),
                new Row(400, "error-invalid-value.json", List.of(), ModelError.InvalidRequest.class, Optional.empty()),
                new Row(
                        404,
                        "error-model-not-found.json",
                        List.of(),
                        ModelError.InvalidRequest.class,
                        Optional.empty()),
                new Row(422, "error-unprocessable.json", List.of(), ModelError.InvalidRequest.class, Optional.empty()),
                new Row(401, "error-invalid-api-key.json", List.of(), ModelError.AuthFailed.class, Optional.empty()),
                new Row(403, "error-region.json", List.of(), ModelError.AuthFailed.class, Optional.empty()),
                new Row(408, "error-timeout.json", List.of(), ModelError.Timeout.class, Optional.empty()),
                new Row(409, "error-conflict.json", List.of(), ModelError.Unavailable.class, Optional.empty()),
                new Row(500, "error-server-error.json", List.of(), ModelError.Unavailable.class, Optional.empty()),
                new Row(502, "error-bad-gateway.html", List.of(), ModelError.Unavailable.class, Optional.empty()),
                new Row(
                        503,
                        "error-overloaded.json",
                        List.of("retry-after", "Sun, 29 Nov 2026 12:00:07 GMT"),
                        ModelError.Unavailable.class,
                        Optional.of(Duration.ofSeconds(7))));
    }

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        ProviderConfig provider = new ProviderConfig(
                "openai",
                ProviderKind.OPENAI,
                Optional.of("OPENAI_API_KEY"),
                Optional.of(server.url("/v1").uri()));
        client = new OpenAiModelClient(provider, name -> Optional.of(KEY), new FakeClock(NOW));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @MethodSource("errors")
    void maps_each_status_and_error_code_to_the_error_that_says_whether_a_retry_helps(Row row) {
        // given
        MockResponse.Builder response = new MockResponse.Builder()
                .code(row.status())
                .addHeader("Content-Type", "application/json")
                .body(Fixtures.read(row.fixture()));
        for (int i = 0; i < row.headers().size(); i += 2) {
            response.addHeader(row.headers().get(i), row.headers().get(i + 1));
        }
        server.enqueue(response.build());

        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> client.chat(
                        ModelRequest.Chat.of(ChatMessage.user("Hello?")),
                        new CallOptions("gpt-4o-mini-2024-07-18", Duration.ofSeconds(5), "errors")));

        // then
        assertThat(failure.error()).isInstanceOf(row.expected());
        assertThat(failure.error().retryAfter()).isEqualTo(row.retryAfter());
        assertThat(failure.getMessage()).contains("openai (gpt-4o-mini-2024-07-18)");
        assertThat(messages(failure)).noneMatch(message -> message.contains(KEY));
    }

    private ModelException chatFails() {
        return catchThrowableOfType(
                ModelException.class,
                () -> client.chat(
                        ModelRequest.Chat.of(ChatMessage.user("Hello?")),
                        new CallOptions("gpt-4o-mini-2024-07-18", Duration.ofSeconds(5), "errors")));
    }

    @Test
    void a_success_status_with_a_body_that_is_not_a_completion_is_a_bad_gateway() {
        // given
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/html")
                .body(Fixtures.read("error-bad-gateway.html"))
                .build());

        // when
        ModelException failure = chatFails();

        // then
        assertThat(failure.error())
                .isInstanceOfSatisfying(
                        ModelError.Unavailable.class,
                        unavailable -> assertThat(unavailable.status()).isEqualTo(502));
    }

    @Test
    void a_connection_closed_before_the_answer_is_a_reset_connection() {
        // given
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket())
                .build());

        // when
        ModelException failure = chatFails();

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.ConnectionReset.class);
    }

    @Test
    void a_refused_connection_is_a_reset_connection() throws Exception {
        // given
        server.close();

        // when
        ModelException failure = chatFails();

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.ConnectionReset.class);
    }

    static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
            for (Throwable suppressed : cause.getSuppressed()) {
                messages.addAll(messages(suppressed));
            }
        }
        return messages;
    }
}
