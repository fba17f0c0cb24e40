package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A call that is given up on ends upstream too: the server sees its connection close. Each case runs on a platform
 * thread, whose calls wait for a worker, and on a virtual thread, which makes its HTTP/1.1 calls itself.
 */
class OpenAiCancellationTest {
    /** The kinds of thread a call can come from. */
    enum Caller {
        PLATFORM(Thread.ofPlatform()),
        VIRTUAL(Thread.ofVirtual());

        private final Thread.Builder threads;

        Caller(Thread.Builder threads) {
            this.threads = threads;
        }

        /** Runs {@code call} on a new thread of this kind; completes with its failure, or null, and its interrupt. */
        Thread run(Runnable call, CompletableFuture<Throwable> outcome, CompletableFuture<Boolean> interruptKept) {
            return threads.start(() -> {
                try {
                    call.run();
                    outcome.complete(null);
                } catch (Throwable failure) {
                    outcome.complete(failure);
                } finally {
                    interruptKept.complete(Thread.currentThread().isInterrupted());
                }
            });
        }
    }

    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String STREAM_PRELUDE =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" + "Transfer-Encoding: chunked\r\n\r\n";

    private static OpenAiModelClient clientOf(HangingUpstream upstream) {
        ProviderConfig provider = new ProviderConfig(
                "openai",
                ProviderKind.OPENAI,
                Optional.of("OPENAI_API_KEY"),
                Optional.of(URI.create("http://127.0.0.1:" + upstream.port() + "/v1")));
        return new OpenAiModelClient(provider, name -> Optional.of("sk-test-cancel"), Clock.system());
    }

    private static final ModelRequest.Chat HELLO = ModelRequest.Chat.of(ChatMessage.user("Hello?"));

    /** Runs {@code call} on a thread of the {@code kind} given and interrupts it once the server has the request. */
    private static void interruptMidCall(Caller kind, HangingUpstream upstream, Consumer<OpenAiModelClient> call)
            throws Exception {
        OpenAiModelClient client = clientOf(upstream);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        Thread caller = kind.run(() -> call.accept(client), outcome, interruptKept);
        await().until(upstream::requestReceived);

        // when
        caller.interrupt();

        // then
        assertThat(outcome.get(5, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        failure -> assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class));
        assertThat(interruptKept.get(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(upstream::clientClosed);
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void an_interrupted_chat_closes_the_connection_the_server_holds_open(Caller kind) throws Exception {
        // given
        try (HangingUpstream upstream = new HangingUpstream("")) {
            interruptMidCall(
                    kind, upstream, client -> client.chat(HELLO, new CallOptions("gpt-4o-mini", LONG, "cancel-chat")));
        }
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void an_interrupted_stream_closes_the_connection_mid_stream(Caller kind) throws Exception {
        // given
        String role = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";
        String chunk = Integer.toHexString(role.length()) + "\r\n" + role + "\r\n";
        try (HangingUpstream upstream = new HangingUpstream(STREAM_PRELUDE + chunk)) {
            interruptMidCall(
                    kind,
                    upstream,
                    client -> client.stream(HELLO, new CallOptions("gpt-4o-mini", LONG, "cancel-stream"), piece -> {}));
        }
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void a_call_past_its_timeout_closes_the_connection_and_leaves_no_interrupt(Caller kind) throws Exception {
        // given
        try (HangingUpstream upstream = new HangingUpstream("")) {
            OpenAiModelClient client = clientOf(upstream);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CompletableFuture<Boolean> interruptLeft = new CompletableFuture<>();

            // when
            kind.run(
                    () -> client.chat(HELLO, new CallOptions("gpt-4o-mini", Duration.ofMillis(300), "slow")),
                    outcome,
                    interruptLeft);

            // then
            assertThat(outcome.get(5, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(
                            ModelException.class,
                            thrown -> assertThat(thrown.error())
                                    .isInstanceOfSatisfying(
                                            ModelError.Timeout.class,
                                            timeout -> assertThat(timeout.message())
                                                    .contains("within the call's timeout of PT0.3S")));
            assertThat(interruptLeft.get(5, TimeUnit.SECONDS)).isFalse();
            await().atMost(Duration.ofSeconds(2)).until(upstream::clientClosed);
        }
    }

    /** A piece handler's failures: an unchecked exception, and an error. */
    enum HandlerFailure {
        EXCEPTION(new IllegalStateException("the handler broke")),
        ERROR(new AssertionError("the handler asserted"));

        private final Throwable failure;

        HandlerFailure(Throwable failure) {
            this.failure = failure;
        }

        void raise() {
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }
    }

    @ParameterizedTest
    @CsvSource({"PLATFORM, EXCEPTION", "VIRTUAL, EXCEPTION", "PLATFORM, ERROR", "VIRTUAL, ERROR"})
    void a_failing_piece_handler_fails_the_call_with_its_own_failure_and_closes_the_connection(
            Caller kind, HandlerFailure handler) throws Exception {
        // given
        String piece = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";
        String chunk = Integer.toHexString(piece.length()) + "\r\n" + piece + "\r\n";
        try (HangingUpstream upstream = new HangingUpstream(STREAM_PRELUDE + chunk)) {
            OpenAiModelClient client = clientOf(upstream);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CompletableFuture<Boolean> interruptLeft = new CompletableFuture<>();

            // when
            kind.run(
                    () -> client.stream(
                            HELLO, new CallOptions("gpt-4o-mini", LONG, "handler"), text -> handler.raise()),
                    outcome,
                    interruptLeft);

            // then
            assertThat(outcome.get(5, TimeUnit.SECONDS)).isSameAs(handler.failure);
            assertThat(interruptLeft.get(5, TimeUnit.SECONDS)).isFalse();
            await().atMost(Duration.ofSeconds(2)).until(upstream::clientClosed);
        }
    }
}
