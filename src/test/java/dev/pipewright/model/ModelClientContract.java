package dev.pipewright.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ModelClient} promises, whatever provider it speaks to. Each implementation's test extends this
 * class and says which models to ask; the models it names are expected to answer promptly, except
 * {@link #slowChatModel()}, which must take longer than {@link #SHORT_TIMEOUT} to answer (a provider that cannot be
 * made slow, such as an in-process model, names none and skips the timing cases).
 */
public abstract class ModelClientContract {
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);
    protected static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    protected abstract ModelClient client();

    /** A chat model that answers a short prompt promptly. */
    protected abstract String chatModel();

    /** An embedding model, when the provider has one. */
    protected abstract Optional<String> embeddingModel();

    /** A chat model that takes longer than {@link #SHORT_TIMEOUT} to answer, when the provider can have one. */
    protected abstract Optional<String> slowChatModel();

    private String slow() {
        Assumptions.assumeTrue(slowChatModel().isPresent(), "the provider has no slow model");
        return slowChatModel().orElseThrow();
    }

    private static ModelRequest.Chat hello() {
        return ModelRequest.Chat.of(
                ChatMessage.system("Answer briefly."), ChatMessage.user("Say hello to the tester."));
    }

    @Test
    void answers_a_chat_with_text_and_the_usage_it_cost() {
        // when
        ModelResponse.Chat answer = client().chat(hello(), new CallOptions(chatModel(), TIMEOUT, "contract-chat"));

        // then
        assertThat(answer.text()).isNotBlank();
        assertThat(answer.model()).isNotBlank();
        assertThat(answer.usage().inputTokens()).isPositive();
        assertThat(answer.usage().outputTokens()).isPositive();
    }

    @Test
    void streams_pieces_that_add_up_to_the_answer_it_returns() {
        // given
        List<String> pieces = new ArrayList<>();

        // when
        ModelResponse.Chat answer =
                client().stream(hello(), new CallOptions(chatModel(), TIMEOUT, "contract-stream"), pieces::add);

        // then
        assertThat(pieces).isNotEmpty();
        assertThat(String.join("", pieces)).isEqualTo(answer.text());
        assertThat(answer.usage().outputTokens()).isPositive();
    }

    @Test
    void embeds_each_input_as_one_vector_of_one_dimension() {
        // given
        Assumptions.assumeTrue(embeddingModel().isPresent(), "the provider has no embedding model");
        ModelRequest.Embedding request = new ModelRequest.Embedding(List.of("first text", "second text", "third"));

        // when
        ModelResponse.Embedding answer =
                client().embed(request, new CallOptions(embeddingModel().orElseThrow(), TIMEOUT, "contract-embed"));

        // then
        assertThat(answer.vectors()).hasSize(3);
        assertThat(answer.vectors())
                .extracting(vector -> vector.length)
                .containsOnly(answer.vectors().getFirst().length);
        assertThat(answer.usage().inputTokens()).isPositive();
    }

    @Test
    void gives_up_with_a_timeout_when_the_answer_takes_longer_than_the_call_may() {
        // given
        String slow = slow();

        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> client().chat(hello(), new CallOptions(slow, SHORT_TIMEOUT, "contract-timeout")));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
    }

    @Test
    void stops_promptly_when_the_calling_thread_is_interrupted_and_keeps_the_interrupt() throws Exception {
        // given
        String slow = slow();
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            caller.set(Thread.currentThread());
            try {
                client().chat(hello(), new CallOptions(slow, TIMEOUT, "contract-interrupt"));
            } catch (ModelException expected) {
                // The call must end with an error, never with an answer it did not wait for.
            } finally {
                interruptKept.complete(Thread.currentThread().isInterrupted());
            }
        });
        org.awaitility.Awaitility.await().until(() -> caller.get() != null);

        // when
        caller.get().interrupt();

        // then
        assertThat(interruptKept.get(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS))
                .isTrue();
    }
}
