package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
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
import org.junit.jupiter.api.Test;

/** A call that is given up on ends upstream too: the server sees its connection close. */
class OpenAiCancellationTest {
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

    /** Runs {@code call} on a platform thread, whose blocked socket reads would ignore an interrupt on their own. */
    private static void interruptMidCall(HangingUpstream upstream, Consumer<OpenAiModelClient> call) throws Exception {
        OpenAiModelClient client = clientOf(upstream);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                call.accept(client);
                outcome.complete(null);
            } catch (Throwable failure) {
                outcome.complete(failure);
            } finally {
                interruptKept.complete(Thread.currentThread().isInterrupted());
            }
        });
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

    @Test
    void an_interrupted_chat_closes_the_connection_the_server_holds_open() throws Exception {
        // given
        try (HangingUpstream upstream = new HangingUpstream("")) {
            interruptMidCall(
                    upstream, client -> client.chat(HELLO, new CallOptions("gpt-4o-mini", LONG, "cancel-chat")));
        }
    }

    @Test
    void an_interrupted_stream_closes_the_connection_mid_stream() throws Exception {
        // given
        String role = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";
        String chunk = Integer.toHexString(role.length()) + "\r\n" + role + "\r\n";
        try (HangingUpstream upstream = new HangingUpstream(STREAM_PRELUDE + chunk)) {
            interruptMidCall(
                    upstream,
                    client -> client.stream(HELLO, new CallOptions("gpt-4o-mini", LONG, "cancel-stream"), piece -> {}));
        }
    }

    @Test
    void a_call_past_its_timeout_closes_the_connection() throws Exception {
        // given
        try (HangingUpstream upstream = new HangingUpstream("")) {
            OpenAiModelClient client = clientOf(upstream);

            // when
            Throwable failure = catchThrowable(
                    () -> client.chat(HELLO, new CallOptions("gpt-4o-mini", Duration.ofMillis(300), "slow")));

            // then
            assertThat(failure)
                    .isInstanceOfSatisfying(
                            ModelException.class,
                            thrown -> assertThat(thrown.error()).isInstanceOf(ModelError.Timeout.class));
            await().atMost(Duration.ofSeconds(2)).until(upstream::clientClosed);
        }
    }
}
