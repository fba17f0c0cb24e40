package dev.pipewright.provider.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ModelRequest;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OpenAiWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ModelRequest.Chat LIMITED =
            new ModelRequest.Chat(List.of(ChatMessage.user("Hi")), OptionalInt.of(32), OptionalDouble.empty());

    @Test
    void names_the_output_limit_max_completion_tokens_for_openai_itself() throws Exception {
        // when
        JsonNode body = JSON.readTree(OpenAiWire.chatRequest(
                LIMITED, "o3-2025-04-16", false, OpenAiWire.MaxTokensField.MAX_COMPLETION_TOKENS));

        // then
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(32);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("temperature")).isFalse();
    }

    @Test
    void names_the_output_limit_max_tokens_for_compatible_servers() throws Exception {
        // when
        JsonNode body =
                JSON.readTree(OpenAiWire.chatRequest(LIMITED, "llama3.2", false, OpenAiWire.MaxTokensField.MAX_TOKENS));

        // then
        assertThat(body.path("max_tokens").asInt()).isEqualTo(32);
        assertThat(body.has("max_completion_tokens")).isFalse();
    }

    @Test
    void reads_usage_without_details_as_no_cached_tokens_and_missing_usage_as_none() throws Exception {
        // when
        var plain = OpenAiWire.usage(JSON.readTree("{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}"));
        var missing = OpenAiWire.usage(JSON.readTree("null"));

        // then
        assertThat(plain.inputTokens()).isEqualTo(5);
        assertThat(plain.outputTokens()).isEqualTo(2);
        assertThat(plain.cachedInputTokens()).isZero();
        assertThat(missing.totalTokens()).isZero();
    }

    @Test
    void refuses_a_base64_embedding_that_is_not_whole_floats() throws Exception {
        // given
        JsonNode threeBytes = JSON.readTree("\"AAAA\"");

        // then
        assertThatThrownBy(() -> OpenAiWire.vector(threeBytes))
                .isInstanceOf(OpenAiWire.MalformedAnswer.class)
                .hasMessageContaining("3 bytes");
    }

    @Test
    void refuses_an_embeddings_answer_with_fewer_vectors_than_inputs() throws Exception {
        // given
        JsonNode body = JSON.readTree("{\"data\":[{\"index\":0,\"embedding\":[1.0]}],\"model\":\"m\"}");

        // then
        assertThatThrownBy(() -> OpenAiWire.embeddingResponse(body, "m", 2))
                .isInstanceOf(OpenAiWire.MalformedAnswer.class)
                .hasMessageContaining("expected 2 embeddings");
    }
}
