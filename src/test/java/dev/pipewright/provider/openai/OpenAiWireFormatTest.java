package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.ToolCallDelta;
import dev.pipewright.model.ToolChoice;
import dev.pipewright.model.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the adapter sends to OpenAI and how it reads OpenAI's answers, against fixtures from the API reference. */
class OpenAiWireFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-wire-0123456789";
    private static final CallOptions OPTIONS = new CallOptions("gpt-4.1-2025-04-14", Duration.ofSeconds(5), "call-7");

    private MockWebServer server;
    private OpenAiModelClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        client = clientWithKey(Optional.of(KEY));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiModelClient clientWithKey(Optional<String> key) {
        ProviderConfig provider = new ProviderConfig(
                "openai",
                ProviderKind.OPENAI,
                Optional.of("OPENAI_API_KEY"),
                Optional.of(server.url("/v1").uri()));
        return new OpenAiModelClient(
                provider, name -> name.equals("OPENAI_API_KEY") ? key : Optional.empty(), Clock.system());
    }

    private void answer(String fixture) {
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "application/json")
                .body(Fixtures.read(fixture))
                .build());
    }

    private RecordedRequest sent() throws InterruptedException {
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    private static JsonNode body(RecordedRequest request) throws Exception {
        return JSON.readTree(request.getBody().utf8());
    }

    @Test
    void sends_a_chat_completion_with_the_key_the_model_and_the_messages() throws Exception {
        // given
        answer("chat-completion.json");
        ModelRequest.Chat chat = new ModelRequest.Chat(
                List.of(ChatMessage.system("Answer briefly."), ChatMessage.user("Hello?")),
                OptionalInt.of(64),
                OptionalDouble.of(0.2));

        // when
        client.chat(chat, OPTIONS);

        // then
        RecordedRequest request = sent();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("call-7");
        JsonNode body = body(request);
        assertThat(body.path("model").asText()).isEqualTo("gpt-4.1-2025-04-14");
        assertThat(body.path("messages"))
                .isEqualTo(JSON.readTree("[{\"role\":\"system\",\"content\":\"Answer briefly.\"},"
                        + "{\"role\":\"user\",\"content\":\"Hello?\"}]"));
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void sends_tools_and_the_tool_choice_and_reads_the_tool_calls_back() throws Exception {
        // given
        answer("chat-completion-tool-calls.json");
        JsonNode schema = JSON.readTree("{\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"string\"}},"
                + " \"required\": [\"location\"]}");
        JsonNode format = JSON.readTree("{\"type\": \"json_object\"}");
        ModelRequest.Chat chat = new ModelRequest.Chat(
                List.of(ChatMessage.user("Weather in Boston?")),
                OptionalInt.empty(),
                OptionalDouble.empty(),
                Map.of("response_format", format),
                List.of(new Tool("get_current_weather", "The weather at a place", schema)),
                new ToolChoice.Named("get_current_weather"));

        // when
        ModelResponse.Chat answer = client.chat(chat, OPTIONS);

        // then
        JsonNode body = body(sent());
        assertThat(body.path("tools"))
                .isEqualTo(JSON.readTree("[{\"type\": \"function\", \"function\": {\"name\": \"get_current_weather\","
                        + " \"description\": \"The weather at a place\", \"parameters\": " + schema + "}}]"));
        assertThat(body.path("tool_choice"))
                .isEqualTo(
                        JSON.readTree("{\"type\": \"function\", \"function\": {\"name\": \"get_current_weather\"}}"));
        assertThat(body.path("response_format")).isEqualTo(format);
        assertThat(body.has("parallel_tool_calls")).isFalse();
        assertThat(answer.finishReason()).isEqualTo("tool_calls");
        assertThat(answer.text()).isEmpty();
        assertThat(answer.toolCalls())
                .containsExactly(
                        new ToolCall("call_abc123", "get_current_weather", "{\n\"location\": \"Boston, MA\"\n}"));
    }

    @Test
    void asks_for_one_tool_call_a_turn_with_parallel_tool_calls_false_only_when_there_are_tools() throws Exception {
        // given
        answer("chat-completion.json");
        answer("chat-completion.json");
        JsonNode schema = JSON.readTree("{\"type\": \"object\"}");
        ModelRequest.Chat withTools = new ModelRequest.Chat(
                List.of(ChatMessage.user("Weather in Boston?")),
                OptionalInt.empty(),
                OptionalDouble.empty(),
                Map.of(),
                List.of(new Tool("get_current_weather", "", schema)),
                new ToolChoice.Auto(),
                false);
        ModelRequest.Chat withoutTools = new ModelRequest.Chat(
                List.of(ChatMessage.user("Weather in Boston?")),
                OptionalInt.empty(),
                OptionalDouble.empty(),
                Map.of(),
                List.of(),
                new ToolChoice.Auto(),
                false);

        // when
        client.chat(withTools, OPTIONS);
        JsonNode first = body(sent());
        client.chat(withoutTools, OPTIONS);
        JsonNode second = body(sent());

        // then: OpenAI refuses parallel_tool_calls on a request without tools
        assertThat(first.path("parallel_tool_calls").isBoolean()).isTrue();
        assertThat(first.path("parallel_tool_calls").booleanValue()).isFalse();
        assertThat(second.has("parallel_tool_calls")).isFalse();
    }

    @Test
    void sends_an_assistant_s_tool_calls_and_each_tool_result_as_a_tool_message() throws Exception {
        // given
        answer("chat-completion.json");
        ToolCall weather = new ToolCall("call_1", "get_current_weather", "{\"location\":\"Boston\"}");
        ToolCall time = new ToolCall("call_2", "get_time", "{}");
        ModelRequest.Chat chat = new ModelRequest.Chat(
                List.of(
                        ChatMessage.user("Weather and time in Boston?"),
                        new ChatMessage(
                                ChatMessage.Role.ASSISTANT,
                                List.of(new ContentPart.ToolUse(weather), new ContentPart.ToolUse(time))),
                        new ChatMessage(
                                ChatMessage.Role.USER,
                                List.of(
                                        new ContentPart.ToolResult("call_1", "22 C and sunny", false),
                                        new ContentPart.ToolResult("call_2", "10:04", false)))),
                OptionalInt.empty(),
                OptionalDouble.empty());

        // when
        client.chat(chat, OPTIONS);

        // then
        JsonNode messages = body(sent()).path("messages");
        assertThat(messages)
                .isEqualTo(JSON.readTree("[{\"role\":\"user\",\"content\":\"Weather and time in Boston?\"},"
                        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                        + "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\","
                        + "\"arguments\":\"{\\\"location\\\":\\\"Boston\\\"}\"}},"
                        + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"22 C and sunny\"},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":\"10:04\"}]"));
    }

    @Test
    void streams_tool_call_fragments_keyed_by_index_and_joins_them_into_whole_calls() throws Exception {
        // given
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(Fixtures.read("chat-stream-tool-calls.txt"))
                .build());
        List<ToolCallDelta> pieces = new ArrayList<>();
        StreamListener listener = new StreamListener() {
            @Override
            public void onText(String delta) {
                throw new AssertionError("no text was streamed, but got " + delta);
            }

            @Override
            public void onToolCall(ToolCallDelta delta) {
                pieces.add(delta);
            }
        };

        // when
        ModelResponse.Chat answer =
                client.stream(ModelRequest.Chat.of(ChatMessage.user("Weather?")), OPTIONS, listener);

        // then
        assertThat(pieces.getFirst())
                .isEqualTo(ToolCallDelta.start(0, "call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_current_weather"));
        assertThat(pieces).contains(ToolCallDelta.arguments(0, "Boston"), ToolCallDelta.arguments(1, "\"EST\"}"));
        assertThat(answer.finishReason()).isEqualTo("tool_calls");
        assertThat(answer.toolCalls())
                .containsExactly(
                        new ToolCall(
                                "call_DdmO9pD3xa9XTPNJ32zg2hcA",
                                "get_current_weather",
                                "{\"location\":\"Boston, MA\"}"),
                        new ToolCall("call_Xk2p9mLwQ7rT5vB1nC8sJ4aE", "get_time", "{\"zone\":\"EST\"}"));
        assertThat(answer.usage()).isEqualTo(new Usage(82, 40, 0));
    }

    @Test
    void reads_the_answer_the_model_and_the_usage_with_its_cached_part() {
        // given
        answer("chat-completion.json");

        // when
        ModelResponse.Chat answer = client.chat(ModelRequest.Chat.of(ChatMessage.user("Hello?")), OPTIONS);

        // then
        assertThat(answer.text()).isEqualTo("Hello! How can I assist you today?");
        assertThat(answer.model()).isEqualTo("gpt-4.1-2025-04-14");
        assertThat(answer.finishReason()).isEqualTo("stop");
        assertThat(answer.usage()).isEqualTo(new Usage(2019, 10, 1920));
    }

    @Test
    void sends_images_as_image_url_content_parts_beside_the_text() throws Exception {
        // given
        answer("chat-completion.json");
        String dataUrl = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";
        ChatMessage user = new ChatMessage(
                ChatMessage.Role.USER,
                List.of(
                        new ContentPart.Text("What is in these images?"),
                        new ContentPart.Image(dataUrl),
                        new ContentPart.Image("https://example.com/river.jpg")));

        // when
        client.chat(ModelRequest.Chat.of(user), OPTIONS);

        // then
        assertThat(body(sent()).path("messages").path(0))
                .isEqualTo(JSON.readTree("{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"text\",\"text\":\"What is in these images?\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + dataUrl + "\"}},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/river.jpg\"}}]}"));
    }

    @Test
    void streams_the_deltas_in_order_and_takes_the_usage_from_the_last_chunk() throws Exception {
        // given
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(Fixtures.read("chat-stream.txt"))
                .build());
        List<String> pieces = new ArrayList<>();

        // when
        ModelResponse.Chat answer =
                client.stream(ModelRequest.Chat.of(ChatMessage.user("Hello?")), OPTIONS, pieces::add);

        // then
        assertThat(pieces).containsExactly("Hello", " there", "!");
        assertThat(answer.text()).isEqualTo("Hello there!");
        assertThat(answer.finishReason()).isEqualTo("stop");
        assertThat(answer.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(answer.usage()).isEqualTo(new Usage(1209, 3, 1152));
        RecordedRequest request = sent();
        assertThat(request.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        JsonNode body = body(request);
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
    }

    @Test
    void asks_for_base64_embeddings() throws Exception {
        // given
        answer("embeddings-base64.json");

        // when
        client.embed(new ModelRequest.Embedding(List.of("first", "second")), embeddingOptions());

        // then
        RecordedRequest request = sent();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/embeddings");
        JsonNode body = body(request);
        assertThat(body.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(body.path("input")).isEqualTo(JSON.readTree("[\"first\",\"second\"]"));
        assertThat(body.path("encoding_format").asText()).isEqualTo("base64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"embeddings-base64.json", "embeddings-float.json"})
    void reads_embeddings_in_input_order_whether_float_or_base64(String fixture) {
        // given
        answer(fixture);

        // when
        ModelResponse.Embedding answer =
                client.embed(new ModelRequest.Embedding(List.of("first", "second")), embeddingOptions());

        // then
        assertThat(answer.vectors()).hasSize(2);
        assertThat(answer.vectors().get(0)).containsExactly(0.5f, -1.25f, 0.003f);
        assertThat(answer.vectors().get(1)).containsExactly(2.0f, 0.0f, -0.75f);
        assertThat(answer.model()).isEqualTo("text-embedding-3-small");
        assertThat(answer.usage()).isEqualTo(new Usage(8, 0, 0));
    }

    @Test
    void calls_a_compatible_server_without_a_key_and_without_an_authorization_header() throws Exception {
        // given
        answer("chat-completion.json");
        OpenAiModelClient keyless = clientWithKey(Optional.empty());

        // when
        keyless.chat(ModelRequest.Chat.of(ChatMessage.user("Hello?")), OPTIONS);

        // then
        assertThat(sent().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void refuses_to_call_openai_itself_without_a_key() {
        // given
        ProviderConfig provider =
                new ProviderConfig("openai", ProviderKind.OPENAI, Optional.of("OPENAI_API_KEY"), Optional.empty());
        OpenAiModelClient keyless = new OpenAiModelClient(provider, name -> Optional.empty(), Clock.system());

        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class, () -> keyless.chat(ModelRequest.Chat.of(ChatMessage.user("Hello?")), OPTIONS));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.AuthFailed.class);
        assertThat(failure.getMessage()).contains("OPENAI_API_KEY");
    }

    @Test
    void reuses_one_connection_for_calls_that_follow_each_other() throws Exception {
        // given
        answer("chat-completion.json");
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(Fixtures.read("chat-stream.txt"))
                .build());
        answer("chat-completion.json");
        ModelRequest.Chat chat = ModelRequest.Chat.of(ChatMessage.user("Hello?"));

        // when
        client.chat(chat, OPTIONS);
        client.stream(chat, OPTIONS, piece -> {});
        client.chat(chat, OPTIONS);

        // then
        List<Integer> connections =
                List.of(sent().getConnectionIndex(), sent().getConnectionIndex(), sent().getConnectionIndex());
        assertThat(connections).containsOnly(connections.getFirst());
    }

    private static CallOptions embeddingOptions() {
        return new CallOptions("text-embedding-3-small", Duration.ofSeconds(5), "embed-1");
    }
}
