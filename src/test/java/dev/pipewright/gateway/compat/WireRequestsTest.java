package dev.pipewright.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both dialects translate into the same model request. */
class WireRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void translates_an_openai_chat_with_roles_parts_and_limits() throws Exception {
        // when
        ChatCompletionRequest request = OpenAiRequests.chat(json("""
                {"model": "vision", "max_tokens": 50, "max_completion_tokens": 20, "temperature": 0.5,
                 "stream": true, "stream_options": {"include_usage": true},
                 "messages": [
                   {"role": "developer", "content": "Be brief."},
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is this?"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,AA==", "detail": "low"}}]},
                   {"role": "assistant", "content": "A cat."}]}
                """));

        // then
        assertThat(request.model()).isEqualTo("vision");
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
        assertThat(request.chat().maxTokens()).hasValue(20);
        assertThat(request.chat().temperature()).hasValue(0.5);
        assertThat(request.chat().messages())
                .containsExactly(
                        ChatMessage.system("Be brief."),
                        new ChatMessage(
                                ChatMessage.Role.USER,
                                List.of(
                                        new ContentPart.Text("What is this?"),
                                        new ContentPart.Image("data:image/png;base64,AA=="))),
                        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentPart.Text("A cat."))));
    }

    @Test
    void translates_an_anthropic_message_into_the_same_chat() throws Exception {
        // when
        MessagesRequest request = AnthropicRequests.messages(json("""
                {"model": "vision", "max_tokens": 20, "temperature": 0.5,
                 "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
                 "messages": [
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is this?"},
                     {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AA=="}}]},
                   {"role": "assistant", "content": "A cat."}]}
                """));

        // then
        ChatCompletionRequest openAi = OpenAiRequests.chat(json("""
                {"model": "vision", "max_tokens": 20, "temperature": 0.5,
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is this?"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,AA=="}}]},
                   {"role": "assistant", "content": "A cat."}]}
                """));
        assertThat(request.stream()).isFalse();
        assertThat(request.chat()).isEqualTo(openAi.chat());
    }

    @Test
    void passes_a_response_format_through_to_the_model() throws Exception {
        // when
        ChatCompletionRequest request = OpenAiRequests.chat(json("""
                {"model": "chat", "messages": [{"role": "user", "content": "Answer in JSON."}],
                 "response_format": {"type": "json_object"}}
                """));

        // then
        assertThat(request.chat().providerFields())
                .containsEntry("response_format", json("{\"type\": \"json_object\"}"));
    }

    @Test
    void refuses_a_response_format_of_an_unknown_type_naming_the_field() throws Exception {
        // when
        WireErrorException failure =
                catchThrowableOfType(WireErrorException.class, () -> OpenAiRequests.chat(json("""
                        {"model": "chat", "messages": [{"role": "user", "content": "hi"}],
                         "response_format": {"type": "yaml"}}
                        """)));

        // then
        assertThat(failure.error().message()).contains("response_format");
    }

    @Test
    void reads_embedding_inputs_and_the_base64_format() throws Exception {
        // when
        EmbeddingsRequest request = OpenAiRequests.embeddings(json("""
                {"model": "embedder", "input": ["one", "two"], "encoding_format": "base64", "dimensions": 4}
                """));

        // then
        assertThat(request.embedding().inputs()).containsExactly("one", "two");
        assertThat(request.base64()).isTrue();
        assertThat(request.dimensions()).hasValue(4);
    }

    @Test
    void an_openai_tool_turn_and_an_anthropic_one_read_as_the_same_messages() throws Exception {
        // when
        ChatCompletionRequest openAi = OpenAiRequests.chat(json("""
                {"model": "m", "messages": [
                   {"role": "user", "content": "Weather and time?"},
                   {"role": "assistant", "content": "", "tool_calls": [
                     {"id": "c1", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}},
                     {"id": "c2", "type": "function", "function": {"name": "time", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": "-3 C"},
                   {"role": "tool", "tool_call_id": "c2", "content": [{"type": "text", "text": "10:04"}]}],
                 "tools": [{"type": "function", "function": {"name": "weather"}},
                           {"type": "function", "function": {"name": "time"}}],
                 "tool_choice": "required", "parallel_tool_calls": false}
                """));
        MessagesRequest anthropic = AnthropicRequests.messages(json("""
                {"model": "m", "max_tokens": 10, "messages": [
                   {"role": "user", "content": "Weather and time?"},
                   {"role": "assistant", "content": [
                     {"type": "tool_use", "id": "c1", "name": "weather", "input": {"city": "Oslo"}},
                     {"type": "tool_use", "id": "c2", "name": "time", "input": {}}]},
                   {"role": "user", "content": [
                     {"type": "tool_result", "tool_use_id": "c1", "content": "-3 C"},
                     {"type": "tool_result", "tool_use_id": "c2", "content": [{"type": "text", "text": "10:04"}]}]}],
                 "tools": [{"name": "weather", "input_schema": {"type": "object"}},
                           {"name": "time", "input_schema": {"type": "object"}}],
                 "tool_choice": {"type": "any"}}
                """));

        // then
        assertThat(openAi.chat().messages()).isEqualTo(anthropic.chat().messages());
        assertThat(openAi.chat().messages()).hasSize(3);
        assertThat(openAi.chat().messages().get(1).toolCalls())
                .containsExactly(
                        new ToolCall("c1", "weather", "{\"city\":\"Oslo\"}"), new ToolCall("c2", "time", "{}"));
        assertThat(openAi.chat().toolChoice()).isEqualTo(new ToolChoice.Required());
        assertThat(anthropic.chat().toolChoice()).isEqualTo(new ToolChoice.Required());
        assertThat(openAi.chat().tools()).extracting(Tool::name).containsExactly("weather", "time");
        assertThat(openAi.chat().parallelToolCalls()).isFalse();
        assertThat(anthropic.chat().parallelToolCalls()).isTrue();
    }

    @Test
    void several_tool_calls_a_turn_are_allowed_unless_the_request_asks_for_one() throws Exception {
        // given
        String tools = "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"weather\"}}]";
        String anthropicTools = "\"tools\": [{\"name\": \"weather\", \"input_schema\": {\"type\": \"object\"}}]";

        // when
        boolean openAiDefault = OpenAiRequests.chat(json(
                        "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], " + tools + "}"))
                .chat()
                .parallelToolCalls();
        boolean openAiNull = OpenAiRequests.chat(json("{\"model\": \"m\", \"messages\": [{\"role\": \"user\","
                        + " \"content\": \"Hi\"}], " + tools + ", \"parallel_tool_calls\": null}"))
                .chat()
                .parallelToolCalls();
        boolean anthropicDefault = AnthropicRequests.messages(json("{\"model\": \"m\", \"max_tokens\": 10,"
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], " + anthropicTools
                        + ", \"tool_choice\": {\"type\": \"auto\", \"disable_parallel_tool_use\": false}}"))
                .chat()
                .parallelToolCalls();
        boolean anthropicOne = AnthropicRequests.messages(json("{\"model\": \"m\", \"max_tokens\": 10,"
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], " + anthropicTools
                        + ", \"tool_choice\": {\"type\": \"tool\", \"name\": \"weather\","
                        + " \"disable_parallel_tool_use\": true}}"))
                .chat()
                .parallelToolCalls();

        // then
        assertThat(openAiDefault).isTrue();
        assertThat(openAiNull).isTrue();
        assertThat(anthropicDefault).isTrue();
        assertThat(anthropicOne).isFalse();
    }

    @Test
    void refuses_a_disable_parallel_tool_use_that_is_not_a_boolean() {
        // when / then
        assertThatThrownBy(() -> AnthropicRequests.messages(json("{\"model\": \"m\", \"max_tokens\": 10,"
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],"
                        + " \"tools\": [{\"name\": \"weather\", \"input_schema\": {\"type\": \"object\"}}],"
                        + " \"tool_choice\": {\"type\": \"auto\", \"disable_parallel_tool_use\": \"yes\"}}")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("tool_choice.disable_parallel_tool_use: expected true or false");
    }
}
