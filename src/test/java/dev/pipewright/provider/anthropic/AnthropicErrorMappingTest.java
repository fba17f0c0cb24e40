package dev.pipewright.provider.anthropic;

import static dev.pipewright.provider.anthropic.AnthropicFixtures.API_KEY;
import static dev.pipewright.provider.anthropic.AnthropicFixtures.hello;
import static dev.pipewright.provider.anthropic.AnthropicFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error answer Anthropic documents, as the status and body it sends, and the error each one becomes. */
class AnthropicErrorMappingTest {
    private final MockWebServer server = new MockWebServer();
    private AnthropicModelClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = AnthropicFixtures.client(URI.create("http://127.0.0.1:" + server.getPort()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One error answer and what it must map to; {@code status} is checked for {@code Unavailable} only. */
    record Row(
            int status,
            String body,
            Optional<String> retryAfterHeader,
            Class<? extends ModelError> expected,
            Optional<Duration> retryAfter) {
        @Override
        public String toString() {
            return status + " " + body.substring(0, Math.min(body.length(), 70)) + " -> " + expected.getSimpleName();
        }
    }

    private static String error(String type, String message) {
        return "{\"type\": \"error\", \"error\": {\"type\": \"" + type + "\", \"message\": \"" + message
                + "\"}, \"request_id\": \"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    }

    private static Row row(int status, String body, Class<? extends ModelError> expected) {
        return new Row(status, body, Optional.empty(), expected, Optional.empty());
    }

    static Stream<Row> documentedErrors() {
        return Stream.of(
                row(400, error("invalid_request_error", "max_tokens: Field required"), ModelError.InvalidRequest.class),
                row(
                        400,
                        error("invalid_request_error", "prompt is too long: 208098 tokens > 200000 maximum"),
                        ModelError.ContextLengthExceeded.class),
                row(
                        400,
                        error(
                                "invalid_request_error",
                                "input length and `max_tokens` exceed context limit: 197202 + 21333 > 200000,"
                                        + " decrease input length or `max_tokens` and try again"),
                        ModelError.ContextLengthExceeded.class),
                row(
                        400,
                        error("invalid_request_error", "Output blocked by content filtering policy"),
                        ModelError.ContentFiltered.class),
                row(401, error("authentication_error", "invalid x-api-key"), ModelError.AuthFailed.class),
                row(
                        402,
                        error("billing_error", "Your credit balance is too low to access the Anthropic API."),
                        ModelError.AuthFailed.class),
                row(
                        403,
                        error(
                                "permission_error",
                                "Your API key does not have permission to use the specified resource."),
                        ModelError.AuthFailed.class),
                row(404, error("not_found_error", "model: claude-nonexistent"), ModelError.InvalidRequest.class),
                row(408, error("timeout_error", "Request timed out"), ModelError.Timeout.class),
                row(
                        413,
                        error("request_too_large", "Request exceeds the maximum allowed number of bytes."),
                        ModelError.InvalidRequest.class),
                new Row(
                        429,
                        error(
                                "rate_limit_error",
                                "This request would exceed the rate limit for your organization of 50 requests per"
                                        + " minute."),
                        Optional.of("17"),
                        ModelError.RateLimited.class,
                        Optional.of(Duration.ofSeconds(17))),
                row(500, error("api_error", "Internal server error"), ModelError.Unavailable.class),
                row(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", ModelError.Unavailable.class),
                row(504, error("timeout_error", "Request timed out"), ModelError.Timeout.class),
                new Row(
                        529,
                        error("overloaded_error", "Overloaded"),
                        Optional.of("3"),
                        ModelError.Unavailable.class,
                        Optional.of(Duration.ofSeconds(3))));
    }

    @ParameterizedTest
    @MethodSource("documentedErrors")
    void maps_each_documented_error_answer_to_its_error(Row row) {
        // given
        MockResponse.Builder answer = new MockResponse.Builder()
                .code(row.status())
                .addHeader("content-type", "application/json")
                .body(row.body());
        row.retryAfterHeader().ifPresent(value -> answer.addHeader("retry-after", value));
        server.enqueue(answer.build());

        // when
        ModelException failure = catchThrowableOfType(ModelException.class, () -> client.chat(hello(), options()));

        // then
        ModelError error = failure.error();
        assertThat(error).isInstanceOf(row.expected());
        assertThat(error.retryAfter()).isEqualTo(row.retryAfter());
        assertThat(error.message()).contains(String.valueOf(row.status()));
        if (error instanceof ModelError.Unavailable unavailable) {
            assertThat(unavailable.status()).isEqualTo(row.status());
        }
        assertThat(failure.getMessage()).doesNotContain(API_KEY);
    }

    @Test
    void never_repeats_the_key_when_the_upstream_echoes_it() {
        // given
        server.enqueue(new MockResponse.Builder()
                .code(401)
                .addHeader("content-type", "application/json")
                .body(error("authentication_error", "invalid x-api-key: " + API_KEY))
                .build());

        // when
        ModelException failure = catchThrowableOfType(ModelException.class, () -> client.chat(hello(), options()));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.AuthFailed.class);
        assertThat(failure.getMessage()).doesNotContain(API_KEY).contains("[redacted]");
    }

    @Test
    void maps_an_error_event_in_a_stream_as_the_answer_of_its_type() {
        // given
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("content-type", "text/event-stream")
                .body("event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"rate_limit_error\","
                        + " \"message\": \"Number of request tokens has exceeded your per-minute rate limit\"}}\n\n")
                .build());

        // when
        ModelException failure =
                catchThrowableOfType(ModelException.class, () -> client.stream(hello(), options(), piece -> {}));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.RateLimited.class);
    }
}
