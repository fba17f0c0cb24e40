package dev.pipewright.provider.anthropic;

import static dev.pipewright.provider.anthropic.AnthropicFixtures.MODEL;
import static dev.pipewright.provider.anthropic.AnthropicFixtures.hello;
import static dev.pipewright.provider.anthropic.HeldOpenServer.streamHead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Timeouts and interrupts really abort the upstream request: the server sees the connection close. */
class AnthropicCancellationTest {
    private static final Duration LONG = Duration.ofSeconds(20);
    private static final String MESSAGE_START = """
            event: message_start
            data: {"type": "message_start", "message": {"id": "msg_01Held", "type": "message", "role": "assistant", \
            "content": [], "model": "claude-sonnet-4-20250514", "stop_reason": null, "stop_sequence": null, \
            "usage": {"input_tokens": 9, "output_tokens": 1}}}

            """;
    private static final String PING = """
            event: ping
            data: {"type": "ping"}

            """;
    private static final String HELLO = """
            event: content_block_delta
            data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}

            """;

    /** What the calling thread saw: the failure and whether its interrupt flag was still set. */
    private record Outcome(ModelException failure, boolean interruptKept) {}

    private static CompletableFuture<Outcome> callOnAThread(
            Consumer<AnthropicModelClient> call, AnthropicModelClient client, CompletableFuture<Thread> caller) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            caller.complete(Thread.currentThread());
            ModelException failure = catchThrowableOfType(ModelException.class, () -> call.accept(client));
            outcome.complete(new Outcome(failure, Thread.currentThread().isInterrupted()));
        });
        return outcome;
    }

    @Test
    void interrupting_a_waiting_chat_closes_the_upstream_connection() throws Exception {
        try (HeldOpenServer server = HeldOpenServer.answering("")) {
            // given
            AnthropicModelClient client = AnthropicFixtures.client(server.uri());
            CompletableFuture<Thread> caller = new CompletableFuture<>();
            CompletableFuture<Outcome> outcome =
                    callOnAThread(c -> c.chat(hello(), new CallOptions(MODEL, LONG, "k")), client, caller);
            server.requestRead.get(5, TimeUnit.SECONDS);

            // when
            caller.get().interrupt();

            // then
            Outcome seen = outcome.get(5, TimeUnit.SECONDS);
            assertThat(seen.failure().error()).isInstanceOf(ModelError.Timeout.class);
            assertThat(seen.interruptKept()).isTrue();
            server.clientGone.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void interrupting_a_stream_after_its_first_piece_closes_the_upstream_connection() throws Exception {
        try (HeldOpenServer server = HeldOpenServer.answering(streamHead(MESSAGE_START, PING, HELLO))) {
            // given
            AnthropicModelClient client = AnthropicFixtures.client(server.uri());
            CompletableFuture<Thread> caller = new CompletableFuture<>();
            CompletableFuture<String> firstPiece = new CompletableFuture<>();
            CompletableFuture<Outcome> outcome = callOnAThread(
                    c -> c.stream(hello(), new CallOptions(MODEL, LONG, "k"), firstPiece::complete), client, caller);
            assertThat(firstPiece.get(30, TimeUnit.SECONDS)).isEqualTo("Hello");

            // when
            caller.get().interrupt();

            // then
            Outcome seen = outcome.get(5, TimeUnit.SECONDS);
            assertThat(seen.failure().error()).isInstanceOf(ModelError.Timeout.class);
            assertThat(seen.interruptKept()).isTrue();
            server.clientGone.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_chat_past_its_timeout_fails_and_closes_the_upstream_connection() throws Exception {
        try (HeldOpenServer server = HeldOpenServer.answering("")) {
            // given
            AnthropicModelClient client = AnthropicFixtures.client(server.uri());

            // when
            ModelException failure = catchThrowableOfType(
                    ModelException.class,
                    () -> client.chat(hello(), new CallOptions(MODEL, Duration.ofMillis(300), "k")));

            // then
            assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
            server.clientGone.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_stream_that_stalls_longer_than_the_idle_timeout_fails_and_closes_the_connection() throws Exception {
        try (HeldOpenServer server = HeldOpenServer.answering(streamHead(MESSAGE_START, HELLO))) {
            // given
            AnthropicModelClient client = AnthropicFixtures.client(server.uri());
            CallOptions options = new CallOptions(MODEL, LONG, "k", LONG, Duration.ofMillis(300));

            // when
            ModelException failure =
                    catchThrowableOfType(ModelException.class, () -> client.stream(hello(), options, piece -> {}));

            // then
            assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
            assertThat(failure.error().message()).contains("stalled");
            server.clientGone.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_stream_with_no_text_within_the_first_token_timeout_fails_though_pings_arrive() throws Exception {
        try (HeldOpenServer server = HeldOpenServer.answering(streamHead(MESSAGE_START, PING))) {
            // given
            AnthropicModelClient client = AnthropicFixtures.client(server.uri());
            CallOptions options = new CallOptions(MODEL, LONG, "k", Duration.ofMillis(300), LONG);

            // when
            ModelException failure =
                    catchThrowableOfType(ModelException.class, () -> client.stream(hello(), options, piece -> {}));

            // then
            assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
            assertThat(failure.error().message()).contains("no text");
            server.clientGone.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_connection_closed_without_an_answer_is_a_reset() throws Exception {
        try (HeldOpenServer server = HeldOpenServer.dropping()) {
            // given
            AnthropicModelClient client = AnthropicFixtures.client(server.uri());

            // when
            ModelException failure =
                    catchThrowableOfType(ModelException.class, () -> client.chat(hello(), AnthropicFixtures.options()));

            // then
            assertThat(failure.error()).isInstanceOf(ModelError.ConnectionReset.class);
            assertThat(failure.error().retryable()).isTrue();
        }
    }
}
