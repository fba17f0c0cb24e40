package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stream that does not end properly is a failure, never a shorter answer. */
class OpenAiStreamFailureTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(10);

    private final List<String> pieces = new CopyOnWriteArrayList<>();
    private MockWebServer server;
    private OpenAiModelClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        ProviderConfig provider = new ProviderConfig(
                "openai",
                ProviderKind.OPENAI,
                Optional.of("OPENAI_API_KEY"),
                Optional.of(server.url("/v1").uri()));
        client = new OpenAiModelClient(provider, name -> Optional.of("sk-test-stream"), Clock.system());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The fixture's events: role chunk, three content chunks, finish chunk, usage chunk, [DONE]. */
    private static List<String> events() {
        return List.of(Fixtures.read("chat-stream.txt").split("(?<=\n\n)"));
    }

    private void streamBody(String body) {
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(body)
                .build());
    }

    private ModelException streamFails(CallOptions options) {
        return catchThrowableOfType(
                ModelException.class,
                () -> client.stream(ModelRequest.Chat.of(ChatMessage.user("Hello?")), options, pieces::add));
    }

    /**
     * As {@link #streamFails(CallOptions)}, from a virtual thread when {@code virtual}: such a thread makes the call
     * itself, and an alarm keeps its bounds, where a platform thread waits for a worker.
     */
    private ModelException streamFails(CallOptions options, boolean virtual) throws InterruptedException {
        if (!virtual) {
            return streamFails(options);
        }
        AtomicReference<ModelException> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> failure.set(streamFails(options))).join();
        return failure.get();
    }

    private static CallOptions options(Duration firstToken, Duration idle) {
        return new CallOptions("gpt-4o-mini-2024-07-18", LONG, "stream-1", firstToken, idle);
    }

    @Test
    void a_stream_that_ends_before_done_is_a_reset_connection() {
        // given
        streamBody(String.join("", events().subList(0, 6)));

        // when
        ModelException failure = streamFails(options(LONG, LONG));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.ConnectionReset.class);
        assertThat(failure.getMessage()).contains("stream ended before [DONE]");
        assertThat(pieces).containsExactly("Hello", " there", "!");
    }

    @Test
    void a_stream_that_ends_without_a_finish_reason_is_a_reset_connection() {
        // given
        List<String> events = events();
        streamBody(String.join("", events.subList(0, 3)) + events.get(6));

        // when
        ModelException failure = streamFails(options(LONG, LONG));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.ConnectionReset.class);
        assertThat(failure.getMessage()).contains("finish_reason");
    }

    @Test
    void a_malformed_chunk_is_a_bad_gateway() {
        // given
        streamBody(events().get(0) + "data: {\"id\":\"chatcmpl-123\",\"choices\":[{\"delta\":\n\n");

        // when
        ModelException failure = streamFails(options(LONG, LONG));

        // then
        assertThat(failure.error())
                .isInstanceOfSatisfying(
                        ModelError.Unavailable.class,
                        unavailable -> assertThat(unavailable.status()).isEqualTo(502));
    }

    @Test
    void an_error_inside_the_stream_maps_as_its_http_twin() {
        // given
        String error = "data: {\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini.\","
                + "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}\n\n";
        streamBody(events().get(0) + events().get(1) + error);

        // when
        ModelException failure = streamFails(options(LONG, LONG));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.RateLimited.class);
        assertThat(failure.getMessage()).contains("Rate limit reached");
    }

    @Test
    void a_server_error_inside_the_stream_is_unavailable() {
        // given
        String error = "data: {\"error\":{\"message\":\"The server had an error while processing your request.\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";
        streamBody(events().get(0) + error);

        // when
        ModelException failure = streamFails(options(LONG, LONG));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.Unavailable.class);
    }

    @ParameterizedTest(name = "from a virtual thread: {0}")
    @ValueSource(booleans = {false, true})
    void no_content_within_the_first_token_timeout_is_a_timeout(boolean virtual) throws Exception {
        // given: the role chunk arrives at once, the first content only much later
        String role = events().get(0);
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(String.join("", events()))
                .throttleBody(role.getBytes(StandardCharsets.UTF_8).length, 5, TimeUnit.SECONDS)
                .build());

        // when
        ModelException failure = streamFails(options(SHORT, LONG), virtual);

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
        assertThat(failure.getMessage()).contains("first-token");
        assertThat(pieces).isEmpty();
    }

    @ParameterizedTest(name = "from a virtual thread: {0}")
    @ValueSource(booleans = {false, true})
    void a_gap_between_chunks_longer_than_the_idle_timeout_is_a_timeout(boolean virtual) throws Exception {
        // given: the first content arrives at once, then the stream stalls
        String firstTwo = events().get(0) + events().get(1);
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(String.join("", events()))
                .throttleBody(firstTwo.getBytes(StandardCharsets.UTF_8).length, 5, TimeUnit.SECONDS)
                .build());

        // when
        ModelException failure = streamFails(options(LONG, SHORT), virtual);

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
        assertThat(failure.getMessage()).contains("stalled");
        assertThat(pieces).containsExactly("Hello");
    }
}
