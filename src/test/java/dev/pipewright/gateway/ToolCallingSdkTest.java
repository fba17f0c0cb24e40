package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A whole tool loop with the official SDKs, pointed at the gateway: the SDK offers a tool, gets a call of it, hands
 * back the tool's result and gets the final text; as JSON and streamed, with each SDK talking to a model behind
 * either provider adapter, the simulator answering upstream.
 */
class ToolCallingSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ToolGateway gateway;
    private static OpenAIClient openAi;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() {
        gateway = new ToolGateway();
        openAi = OpenAIOkHttpClient.builder()
                .baseUrl(gateway.baseUrl() + "/v1")
                .apiKey(ToolGateway.KEY)
                .maxRetries(0)
                .build();
        anthropic = AnthropicOkHttpClient.builder()
                .baseUrl(gateway.baseUrl())
                .apiKey(ToolGateway.KEY)
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        openAi.close();
        anthropic.close();
        gateway.close();
    }

    private static ChatCompletionCreateParams openAiAsk(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("What is the weather in Paris? " + UUID.randomUUID())
                .addTool(ChatCompletionFunctionTool.builder()
                        .function(FunctionDefinition.builder()
                                .name("get_weather")
                                .description("The weather at a place")
                                .parameters(FunctionParameters.builder()
                                        .putAdditionalProperty("type", JsonValue.from("object"))
                                        .putAdditionalProperty(
                                                "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                        .build())
                                .build())
                        .build())
                .build();
    }

    private static ChatCompletion openAiCall(ChatCompletionCreateParams params, boolean stream) {
        if (!stream) {
            return openAi.chat().completions().create(params);
        }
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (com.openai.core.http.StreamResponse<ChatCompletionChunk> chunks =
                openAi.chat().completions().createStreaming(params)) {
            chunks.stream().forEach(accumulator::accumulate);
        }
        return accumulator.chatCompletion();
    }

    @ParameterizedTest
    @CsvSource({"gpt, false", "gpt, true", "claude, false", "claude, true"})
    void the_openai_sdk_runs_a_tool_loop(String model, boolean stream) throws Exception {
        // given
        ChatCompletionCreateParams ask = openAiAsk(model);

        // when
        ChatCompletion first = openAiCall(ask, stream);
        ChatCompletionMessage assistant = first.choices().getFirst().message();
        ChatCompletionMessageFunctionToolCall call =
                assistant.toolCalls().orElseThrow().getFirst().asFunction();
        ChatCompletion last = openAiCall(
                ask.toBuilder()
                        .addMessage(assistant)
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId(call.id())
                                .content("18 C and cloudy")
                                .build())
                        .build(),
                stream);

        // then
        assertThat(first.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.function().arguments())).isEqualTo(JSON.readTree("{\"city\":\"sample city\"}"));
        assertThat(last.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(last.choices().getFirst().message().content()).hasValue("The tool answered: 18 C and cloudy");
    }

    private static MessageCreateParams anthropicAsk(String model) {
        return MessageCreateParams.builder()
                .model(model)
                .maxTokens(200)
                .addUserMessage("What is the weather in Paris? " + UUID.randomUUID())
                .addTool(Tool.builder()
                        .name("get_weather")
                        .description("The weather at a place")
                        .inputSchema(Tool.InputSchema.builder()
                                .properties(Tool.InputSchema.Properties.builder()
                                        .putAdditionalProperty(
                                                "city", com.anthropic.core.JsonValue.from(Map.of("type", "string")))
                                        .build())
                                .required(List.of("city"))
                                .build())
                        .build())
                .build();
    }

    private static Message anthropicCall(MessageCreateParams params, boolean stream) {
        if (!stream) {
            return anthropic.messages().create(params);
        }
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> events =
                anthropic.messages().createStreaming(params)) {
            events.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    @ParameterizedTest
    @CsvSource({"gpt, false", "gpt, true", "claude, false", "claude, true"})
    void the_anthropic_sdk_runs_a_tool_loop(String model, boolean stream) throws Exception {
        // given
        MessageCreateParams ask = anthropicAsk(model);

        // when
        Message first = anthropicCall(ask, stream);
        ToolUseBlock call = first.content().stream()
                .flatMap(block -> block.toolUse().stream())
                .findFirst()
                .orElseThrow();
        Message last = anthropicCall(
                ask.toBuilder()
                        .addMessage(first)
                        .addUserMessageOfContentBlockParams(
                                List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                                        .toolUseId(call.id())
                                        .content("18 C and cloudy")
                                        .build())))
                        .build(),
                stream);

        // then
        assertThat(first.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(JSON.writeValueAsString(call._input().convert(Object.class))))
                .isEqualTo(JSON.readTree("{\"city\":\"sample city\"}"));
        assertThat(last.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(last.content().stream()
                        .flatMap(block -> block.text().stream())
                        .map(text -> text.text())
                        .toList())
                .containsExactly("The tool answered: 18 C and cloudy");
        assertThat(last.content()).noneMatch(ContentBlock::isToolUse);
    }
}
