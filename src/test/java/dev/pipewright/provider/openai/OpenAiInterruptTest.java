package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An interrupted caller keeps its interrupt even where the HTTP library catches it: reading the answer on a kept-alive
 * connection first waits for the thread that watched the connection while it sat in the pool, and that wait turns an
 * interrupt into a plain exception.
 */
class OpenAiInterruptTest {
    private static final String ANSWER = """
            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}}
            """;
    private static final ModelRequest.Chat HELLO = ModelRequest.Chat.of(ChatMessage.user("Hello?"));
    private static final CallOptions OPTIONS = new CallOptions("gpt-4o-mini", Duration.ofSeconds(30), "interrupt");

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
        client = new OpenAiModelClient(provider, name -> Optional.of("sk-test-interrupt"), Clock.system());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_call_interrupted_while_waiting_on_a_kept_alive_connection_keeps_the_interrupt() throws Exception {
        // given a connection back in the pool after a first call, and an upstream slow to answer the second
        server.enqueue(answer());
        server.enqueue(answer().newBuilder().headersDelay(20, TimeUnit.SECONDS).build());
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread.ofVirtual()
                .start(() -> first.complete(client.chat(HELLO, OPTIONS).text()));
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("Hi");
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                client.chat(HELLO, OPTIONS);
                outcome.complete(null);
            } catch (Throwable failure) {
                outcome.complete(failure);
            } finally {
                interruptKept.complete(Thread.currentThread().isInterrupted());
            }
        });
        server.takeRequest();
        server.takeRequest();

        // when
        caller.interrupt();

        // then it ends as an interrupted call, and the thread is still interrupted
        assertThat(outcome.get(10, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        failure -> assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class));
        assertThat(interruptKept.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    private static MockResponse answer() {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(ANSWER)
                .build();
    }
}
