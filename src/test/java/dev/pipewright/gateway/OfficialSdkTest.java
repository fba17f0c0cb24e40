package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.SseException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Java SDKs, pointed at the gateway with only a base URL and a key, work unchanged. */
class OfficialSdkTest {
    private static CompatibleGateway gateway;
    private static OpenAIClient openAi;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() {
        gateway = new CompatibleGateway();
        openAi = OpenAIOkHttpClient.builder()
                .baseUrl(gateway.baseUrl() + "/v1")
                .apiKey("test-key")
                .maxRetries(0)
                .build();
        anthropic = AnthropicOkHttpClient.builder()
                .baseUrl(gateway.baseUrl())
                .apiKey("test-key")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        openAi.close();
        anthropic.close();
        gateway.close();
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage("Be brief.")
                .addUserMessage("hello there")
                .build();
    }

    @Test
    void the_openai_sdk_completes_a_chat() {
        // when
        ChatCompletion completion = openAi.chat().completions().create(chat("chat"));

        // then
        assertThat(completion.model()).isEqualTo("sim-chat-2025-01-01");
        assertThat(completion.choices().getFirst().message().content())
                .hasValueSatisfying(text -> assertThat(text).isNotBlank());
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage())
                .hasValueSatisfying(
                        usage -> assertThat(usage.completionTokens()).isEqualTo(12));
    }

    @Test
    void the_openai_sdk_streams_a_chat_with_its_usage() {
        // given
        ChatCompletionCreateParams params = chat("chat").toBuilder()
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        // when
        try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream =
                openAi.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }

        // then
        for (ChatCompletionChunk chunk : chunks) {
            chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
        }
        assertThat(text.toString().split(" ")).hasSize(12);
        assertThat(chunks.getLast().usage())
                .hasValueSatisfying(
                        usage -> assertThat(usage.completionTokens()).isEqualTo(12));
    }

    @Test
    void the_openai_sdk_raises_an_error_for_a_stream_that_broke_after_its_first_chunk() {
        // given
        List<String> received = new ArrayList<>();

        // when / then
        assertThatThrownBy(() -> {
                    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream =
                            openAi.chat().completions().createStreaming(chat("cut-chat"))) {
                        stream.stream()
                                .forEach(chunk -> chunk.choices()
                                        .forEach(choice ->
                                                choice.delta().content().ifPresent(received::add)));
                    }
                })
                .isInstanceOf(com.openai.errors.OpenAIException.class)
                .hasMessageContaining("cut-chat");
        assertThat(received).isNotEmpty();
    }

    @Test
    void the_openai_sdk_embeds_with_its_default_base64_encoding() {
        // when
        CreateEmbeddingResponse response = openAi.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("embedder")
                        .input("hello")
                        .build());

        // then
        assertThat(response.data().getFirst().embeddingValue().isBase64()).isTrue();
        assertThat(response.data().getFirst().embedding()).hasSize(8);
        assertThat(response.usage().promptTokens()).isPositive();
    }

    @Test
    void the_openai_sdk_lists_the_models() {
        // when
        List<String> ids = new ArrayList<>();
        openAi.models().list().autoPager().forEach(model -> ids.add(model.id()));
        Model one = openAi.models().retrieve("embedder");

        // then
        assertThat(ids).containsExactlyElementsOf(gateway.config.models().keySet());
        assertThat(one.ownedBy()).isEqualTo("pipewright");
    }

    @Test
    void errors_reach_the_openai_sdk_as_its_typed_exceptions() {
        // when / then
        assertThatThrownBy(() -> openAi.chat().completions().create(chat("no-such-model")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> openAi.chat()
                        .completions()
                        .create(chat("chat").toBuilder().temperature(5.0).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("temperature: expected a number between 0 and 2");
        assertThatThrownBy(() -> openAi.chat().completions().create(chat("limited-chat")))
                .isInstanceOfSatisfying(
                        RateLimitException.class,
                        e -> assertThat(e.headers().values("retry-after")).containsExactly("7"));
        assertThatThrownBy(() -> openAi.chat().completions().create(chat("long-chat")))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.code()).hasValue("context_length_exceeded"));
    }

    private static MessageCreateParams message(String model) {
        return MessageCreateParams.builder()
                .model(model)
                .maxTokens(100)
                .system("Be brief.")
                .addUserMessage("hello there")
                .build();
    }

    @Test
    void the_anthropic_sdk_creates_a_message() {
        // when
        Message message = anthropic.messages().create(message("chat"));

        // then
        assertThat(message.model().asString()).isEqualTo("sim-chat-2025-01-01");
        assertThat(message.content().getFirst().asText().text()).isNotBlank();
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(12);
    }

    @Test
    void the_anthropic_sdk_streams_a_message() {
        // given
        StringBuilder text = new StringBuilder();
        List<RawMessageStreamEvent> events = new ArrayList<>();

        // when
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(message("chat"))) {
            stream.stream().forEach(events::add);
        }

        // then
        events.stream()
                .filter(RawMessageStreamEvent::isContentBlockDelta)
                .forEach(event ->
                        event.asContentBlockDelta().delta().text().ifPresent(delta -> text.append(delta.text())));
        assertThat(text.toString().split(" ")).hasSize(12);
        assertThat(events.getFirst().isMessageStart()).isTrue();
        assertThat(events.getLast().isMessageStop()).isTrue();
    }

    @Test
    void the_anthropic_sdk_raises_an_error_for_a_stream_that_broke_after_its_first_delta() {
        // when / then
        assertThatThrownBy(() -> {
                    try (StreamResponse<RawMessageStreamEvent> stream =
                            anthropic.messages().createStreaming(message("cut-chat"))) {
                        stream.stream().forEach(event -> {});
                    }
                })
                .isInstanceOf(SseException.class)
                .hasMessageContaining("cut-chat");
    }

    @Test
    void errors_reach_the_anthropic_sdk_as_its_typed_exceptions() {
        // when / then
        assertThatThrownBy(() -> anthropic.messages().create(message("no-such-model")))
                .isInstanceOf(com.anthropic.errors.NotFoundException.class);
        assertThatThrownBy(() -> anthropic
                        .messages()
                        .create(message("chat").toBuilder()
                                .putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(1.5))
                                .build()))
                .isInstanceOf(com.anthropic.errors.BadRequestException.class);
        assertThatThrownBy(() -> anthropic.messages().create(message("limited-chat")))
                .isInstanceOf(com.anthropic.errors.RateLimitException.class);
    }

    @Test
    void a_model_that_failed_reaches_both_sdks_as_a_server_error() {
        // when / then
        assertThatThrownBy(() -> openAi.chat().completions().create(chat("broken-chat")))
                .isInstanceOfSatisfying(
                        InternalServerException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(502));
        assertThatThrownBy(() -> anthropic.messages().create(message("broken-chat")))
                .isInstanceOf(com.anthropic.errors.InternalServerException.class);
    }

    @Test
    void a_fallback_answers_the_sdk_when_the_primary_fails() {
        // when
        ChatCompletion completion = openAi.chat().completions().create(chat("flaky-chat"));

        // then
        assertThat(completion.model()).isEqualTo("sim-chat-2025-01-01");
    }
}
