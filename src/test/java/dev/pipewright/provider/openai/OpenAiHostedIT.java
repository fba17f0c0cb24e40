package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelClientContract;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The adapter against OpenAI's hosted API; runs only where {@code OPENAI_API_KEY} is set, and costs a few tokens. */
@EnabledIfEnvironmentVariable(named = "OPENAI_API_KEY", matches = ".+")
class OpenAiHostedIT extends ModelClientContract {
    private static final String CHAT_MODEL = "gpt-4o-mini-2024-07-18";
    private static final ProviderConfig OPENAI =
            new ProviderConfig("openai", ProviderKind.OPENAI, Optional.of("OPENAI_API_KEY"), Optional.empty());

    private final ModelClient client =
            new OpenAiModelClient(OPENAI, name -> Optional.ofNullable(System.getenv(name)), Clock.system());

    @Override
    protected ModelClient client() {
        return client;
    }

    @Override
    protected String chatModel() {
        return CHAT_MODEL;
    }

    @Override
    protected Optional<String> embeddingModel() {
        return Optional.of("text-embedding-3-small");
    }

    @Override
    protected Optional<String> slowChatModel() {
        return Optional.empty();
    }

    @Test
    void honours_the_output_limit_sent_as_max_completion_tokens() {
        // given
        ModelRequest.Chat chat = new ModelRequest.Chat(
                List.of(ChatMessage.user("Count from one to fifty in words.")),
                OptionalInt.of(5),
                OptionalDouble.of(0));

        // when
        ModelResponse.Chat answer = client.chat(chat, new CallOptions(CHAT_MODEL, Duration.ofSeconds(30), "it-limit"));

        // then
        assertThat(answer.finishReason()).isEqualTo("length");
        assertThat(answer.usage().outputTokens()).isLessThanOrEqualTo(5);
    }

    @Test
    void a_wrong_key_is_an_auth_failure() {
        // given
        ModelClient wrongKey = new OpenAiModelClient(OPENAI, name -> Optional.of("sk-wrong-key"), Clock.system());

        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> wrongKey.chat(
                        ModelRequest.Chat.of(ChatMessage.user("Hi")),
                        new CallOptions(CHAT_MODEL, Duration.ofSeconds(30), "it-wrong-key")));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.AuthFailed.class);
        assertThat(failure.getMessage()).doesNotContain("sk-wrong-key");
    }
}
