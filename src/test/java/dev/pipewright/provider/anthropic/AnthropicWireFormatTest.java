package dev.pipewright.provider.anthropic;

import static dev.pipewright.provider.anthropic.AnthropicFixtures.API_KEY;
import static dev.pipewright.provider.anthropic.AnthropicFixtures.MODEL;
import static dev.pipewright.provider.anthropic.AnthropicFixtures.hello;
import static dev.pipewright.provider.anthropic.AnthropicFixtures.options;
import static dev.pipewright.provider.anthropic.AnthropicFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
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
import java.net.URI;
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

class AnthropicWireFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private final MockWebServer server = new MockWebServer();
    private AnthropicModelClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = AnthropicFixtures.client(URI.create("http://127.0.0.1:" + server.getPort()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .addHeader("content-type", "application/json")
                .body(body)
                .build();
    }

    private static MockResponse events(String body) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("content-type", "text/event-stream; charset=utf-8")
                .addHeader("cache-control", "no-cache")
                .chunkedBody(body, 97)
                .build();
    }

    private RecordedRequest taken() throws InterruptedException {
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    @Test
    void sends_the_messages_request_with_system_on_top_and_images_as_sources() throws Exception {
        // given
        server.enqueue(json(200, read("message.json")));
        ModelRequest.Chat request = new ModelRequest.Chat(
                List.of(
                        ChatMessage.system("You are terse."),
                        ChatMessage.system("Answer in English."),
                        new ChatMessage(
                                ChatMessage.Role.USER,
                                List.of(
                                        new ContentPart.Text("What is in these pictures?"),
                                        new ContentPart.Image("data:image/png;base64," + PNG),
                                        new ContentPart.Image("https://example.com/cat.jpg"))),
                        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentPart.Text("A pixel."))),
                        ChatMessage.user("And?")),
                OptionalInt.of(300),
                OptionalDouble.of(0.2));

        // when
        client.chat(request, options());

        // then
        RecordedRequest sent = taken();
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getTarget()).isEqualTo("/v1/messages");
        assertThat(sent.getHeaders().get("x-api-key")).isEqualTo(API_KEY);
        assertThat(sent.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.getHeaders().get("content-type")).startsWith("application/json");
        assertThat(sent.getHeaders().get("authorization")).isNull();
        JsonNode body = JSON.readTree(sent.getBody().utf8());
        assertThat(body).isEqualTo(JSON.readTree("""
                {"model": "claude-sonnet-4-20250514", "max_tokens": 300,
                 "system": "You are terse.\\n\\nAnswer in English.",
                 "messages": [
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is in these pictures?"},
                     {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "%s"}},
                     {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}}]},
                   {"role": "assistant", "content": [{"type": "text", "text": "A pixel."}]},
                   {"role": "user", "content": [{"type": "text", "text": "And?"}]}],
                 "temperature": 0.2}
                """.formatted(PNG)));
    }

    @Test
    void asks_for_the_default_max_tokens_when_the_request_sets_none() throws Exception {
        // given
        server.enqueue(json(200, read("message.json")));

        // when
        client.chat(hello(), options());

        // then
        JsonNode body = JSON.readTree(taken().getBody().utf8());
        assertThat(body.get("max_tokens").asInt()).isEqualTo(1024);
        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void reads_the_message_text_stop_reason_and_usage_with_cache_tokens() {
        // given
        server.enqueue(json(200, read("message.json")));

        // when
        ModelResponse.Chat answer = client.chat(hello(), options());

        // then
        assertThat(answer.text()).isEqualTo("Hi! My name is Claude. How can I help?");
        assertThat(answer.model()).isEqualTo(MODEL);
        assertThat(answer.finishReason()).isEqualTo("stop");
        assertThat(answer.usage()).isEqualTo(new Usage(2095 + 100 + 1000, 503, 1000));
    }

    @Test
    void streams_the_documented_event_sequence_with_pings() throws Exception {
        // given
        server.enqueue(events(read("stream.sse")));
        List<String> pieces = new ArrayList<>();

        // when
        ModelResponse.Chat answer = client.stream(hello(), options(), pieces::add);

        // then
        assertThat(pieces).containsExactly("Hello", "!", " How are you?");
        assertThat(answer.text()).isEqualTo("Hello! How are you?");
        assertThat(answer.finishReason()).isEqualTo("stop");
        assertThat(answer.usage()).isEqualTo(new Usage(30, 15, 5));
        RecordedRequest sent = taken();
        assertThat(JSON.readTree(sent.getBody().utf8()).get("stream").asBoolean())
                .isTrue();
        assertThat(sent.getHeaders().get("accept")).contains("text/event-stream");
    }

    @Test
    void sends_tools_the_tool_choice_tool_use_and_tool_result_blocks() throws Exception {
        // given
        server.enqueue(json(200, read("message.json")));
        JsonNode schema = JSON.readTree(
                "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}");
        ToolCall call = new ToolCall("toolu_1", "get_weather", "{\"location\":\"Paris\"}");
        ModelRequest.Chat chat = new ModelRequest.Chat(
                List.of(
                        ChatMessage.user("Weather in Paris?"),
                        new ChatMessage(
                                ChatMessage.Role.ASSISTANT,
                                List.of(new ContentPart.Text("Checking."), new ContentPart.ToolUse(call))),
                        new ChatMessage(
                                ChatMessage.Role.USER,
                                List.of(
                                        new ContentPart.Text("Thanks."),
                                        new ContentPart.ToolResult("toolu_1", "18 C", true)))),
                OptionalInt.of(100),
                OptionalDouble.empty(),
                Map.of(),
                List.of(new Tool("get_weather", "The weather at a place", schema)),
                new ToolChoice.Required());

        // when
        client.chat(chat, options());

        // then
        JsonNode body = JSON.readTree(taken().getBody().utf8());
        assertThat(body.get("tools"))
                .isEqualTo(JSON.readTree("[{\"name\":\"get_weather\",\"description\":\"The weather at a place\","
                        + "\"input_schema\":" + schema + "}]"));
        assertThat(body.get("tool_choice")).isEqualTo(JSON.readTree("{\"type\":\"any\"}"));
        assertThat(body.get("messages").get(1))
                .isEqualTo(
                        JSON.readTree(
                                "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Checking.\"},"
                                        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"location\":\"Paris\"}}]}"));
        assertThat(body.get("messages").get(2))
                .isEqualTo(
                        JSON.readTree(
                                "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                                        + "\"content\":\"18 C\",\"is_error\":true},{\"type\":\"text\",\"text\":\"Thanks.\"}]}"));
    }

    @Test
    void asks_for_one_tool_call_a_turn_with_disable_parallel_tool_use_unless_tools_are_off() throws Exception {
        // given
        server.enqueue(json(200, read("message.json")));
        server.enqueue(json(200, read("message.json")));
        server.enqueue(json(200, read("message.json")));
        List<Tool> tools = List.of(new Tool("get_weather", "", JSON.readTree("{\"type\":\"object\"}")));

        // when
        client.chat(oneCallATurn(tools, new ToolChoice.Auto(), false), options());
        JsonNode auto = JSON.readTree(taken().getBody().utf8());
        client.chat(oneCallATurn(tools, new ToolChoice.None(), false), options());
        JsonNode none = JSON.readTree(taken().getBody().utf8());
        client.chat(oneCallATurn(tools, new ToolChoice.Auto(), true), options());
        JsonNode parallel = JSON.readTree(taken().getBody().utf8());

        // then
        assertThat(auto.get("tool_choice"))
                .isEqualTo(JSON.readTree("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
        assertThat(none.get("tool_choice")).isEqualTo(JSON.readTree("{\"type\":\"none\"}"));
        assertThat(parallel.get("tool_choice")).isEqualTo(JSON.readTree("{\"type\":\"auto\"}"));
    }

    private static ModelRequest.Chat oneCallATurn(List<Tool> tools, ToolChoice choice, boolean parallelToolCalls) {
        return new ModelRequest.Chat(
                List.of(ChatMessage.user("Weather in Paris?")),
                OptionalInt.of(100),
                OptionalDouble.empty(),
                Map.of(),
                tools,
                choice,
                parallelToolCalls);
    }

    @Test
    void refuses_tool_call_arguments_that_are_not_a_json_object_without_calling() {
        // given
        ToolCall call = new ToolCall("toolu_1", "get_weather", "[1, 2]");
        ModelRequest.Chat chat = new ModelRequest.Chat(
                List.of(
                        ChatMessage.user("Weather?"),
                        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentPart.ToolUse(call))),
                        new ChatMessage(
                                ChatMessage.Role.USER, List.of(new ContentPart.ToolResult("toolu_1", "18 C", false)))),
                OptionalInt.empty(),
                OptionalDouble.empty());

        // when
        ModelException failure = catchThrowableOfType(ModelException.class, () -> client.chat(chat, options()));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.InvalidRequest.class);
        assertThat(failure.getMessage()).contains("toolu_1", "[1, 2]");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void reads_tool_use_blocks_of_a_message_as_tool_calls() {
        // given
        server.enqueue(json(200, read("message-tool-use.json")));

        // when
        ModelResponse.Chat answer = client.chat(hello(), options());

        // then
        assertThat(answer.text()).isEqualTo("I'll check the weather in San Francisco.");
        assertThat(answer.finishReason()).isEqualTo("tool_calls");
        assertThat(answer.toolCalls())
                .containsExactly(new ToolCall(
                        "toolu_01A09q90qw90lq917835lq9",
                        "get_weather",
                        "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"));
    }

    @Test
    void streams_a_tool_use_block_as_tool_call_pieces_after_the_text() {
        // given
        server.enqueue(events(read("stream-tool-use.sse")));
        List<String> events = new ArrayList<>();
        StreamListener listener = new StreamListener() {
            @Override
            public void onText(String delta) {
                events.add("text " + delta);
            }

            @Override
            public void onToolCall(ToolCallDelta delta) {
                events.add("tool " + delta.index() + " " + delta.id().orElse("-") + " "
                        + delta.name().orElse("-") + " " + delta.argumentsDelta());
            }
        };

        // when
        ModelResponse.Chat answer = client.stream(hello(), options(), listener);

        // then
        assertThat(events)
                .containsExactly(
                        "text Okay, let me check.",
                        "tool 0 toolu_01T1x1fJ34qAmk2tNTrN7Up6 get_weather ",
                        "tool 0 - - {\"location\":",
                        "tool 0 - -  \"San Francisco, CA\"}");
        assertThat(answer.finishReason()).isEqualTo("tool_calls");
        assertThat(answer.toolCalls())
                .containsExactly(new ToolCall(
                        "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", "{\"location\": \"San Francisco, CA\"}"));
        assertThat(answer.usage()).isEqualTo(new Usage(472, 89, 0));
    }

    @Test
    void an_error_event_mid_stream_fails_as_overloaded_after_the_pieces_already_sent() {
        // given
        server.enqueue(events(read("stream-error.sse")));
        List<String> pieces = new ArrayList<>();

        // when
        ModelException failure =
                catchThrowableOfType(ModelException.class, () -> client.stream(hello(), options(), pieces::add));

        // then
        assertThat(pieces).containsExactly("Hello");
        assertThat(failure.error())
                .isInstanceOfSatisfying(
                        ModelError.Unavailable.class,
                        error -> assertThat(error.status()).isEqualTo(529));
        assertThat(failure.error().message()).contains("overloaded_error");
    }

    @Test
    void a_stream_that_ends_before_message_stop_is_a_reset_never_a_shorter_answer() {
        // given
        server.enqueue(events(read("stream-cut.sse")));

        // when
        ModelException failure =
                catchThrowableOfType(ModelException.class, () -> client.stream(hello(), options(), piece -> {}));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.ConnectionReset.class);
        assertThat(failure.error().message()).contains("stream ended before message_stop");
    }

    @Test
    void a_malformed_event_is_an_unavailable_upstream() {
        // given
        server.enqueue(events(read("stream-malformed.sse")));

        // when
        ModelException failure =
                catchThrowableOfType(ModelException.class, () -> client.stream(hello(), options(), piece -> {}));

        // then
        assertThat(failure.error())
                .isInstanceOfSatisfying(
                        ModelError.Unavailable.class,
                        error -> assertThat(error.status()).isEqualTo(502));
    }

    @Test
    void a_malformed_message_body_is_an_unavailable_upstream() {
        // given
        server.enqueue(json(200, "{\"type\": \"message\", \"content\": [{\"type\": \"te"));

        // when
        ModelException failure = catchThrowableOfType(ModelException.class, () -> client.chat(hello(), options()));

        // then
        assertThat(failure.error())
                .isInstanceOfSatisfying(
                        ModelError.Unavailable.class,
                        error -> assertThat(error.status()).isEqualTo(502));
    }

    @Test
    void a_refusal_is_content_filtered_in_a_message_and_in_a_stream() {
        // given
        server.enqueue(json(200, read("refusal.json")));
        server.enqueue(events(read("stream-refusal.sse")));

        // when
        ModelException message = catchThrowableOfType(ModelException.class, () -> client.chat(hello(), options()));
        ModelException stream =
                catchThrowableOfType(ModelException.class, () -> client.stream(hello(), options(), piece -> {}));

        // then
        assertThat(message.error()).isInstanceOf(ModelError.ContentFiltered.class);
        assertThat(stream.error()).isInstanceOf(ModelError.ContentFiltered.class);
    }

    @Test
    void reuses_one_connection_for_calls_one_after_another_even_after_an_error_answer() throws Exception {
        // given
        server.enqueue(json(200, read("message.json")));
        server.enqueue(events(read("stream.sse")));
        server.enqueue(
                json(429, "{\"type\": \"error\", \"error\": {\"type\": \"rate_limit_error\", \"message\": \"slow\"}}"));
        server.enqueue(json(200, read("message.json")));

        // when
        client.chat(hello(), options());
        client.stream(hello(), options(), piece -> {});
        catchThrowableOfType(ModelException.class, () -> client.chat(hello(), options()));
        client.chat(hello(), options());

        // then
        List<Integer> connections = List.of(
                taken().getConnectionIndex(),
                taken().getConnectionIndex(),
                taken().getConnectionIndex(),
                taken().getConnectionIndex());
        assertThat(connections).containsOnly(connections.getFirst());
    }

    @Test
    void fails_without_a_request_when_the_key_variable_is_not_set() {
        // given
        ProviderConfig provider = new ProviderConfig(
                "claude",
                ProviderKind.ANTHROPIC,
                Optional.of("MY_ANTHROPIC_KEY"),
                Optional.of(URI.create("http://127.0.0.1:" + server.getPort())));
        AnthropicModelClient keyless = new AnthropicModelClient(provider, name -> Optional.empty(), Clock.system());

        // when
        ModelException failure = catchThrowableOfType(ModelException.class, () -> keyless.chat(hello(), options()));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.AuthFailed.class);
        assertThat(failure.error().message()).contains("MY_ANTHROPIC_KEY");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void sends_no_key_to_a_base_url_provider_that_names_no_key_variable() throws Exception {
        // given
        server.enqueue(json(200, read("message.json")));
        ProviderConfig provider = new ProviderConfig(
                "compatible",
                ProviderKind.ANTHROPIC,
                Optional.empty(),
                Optional.of(URI.create("http://127.0.0.1:" + server.getPort() + "/")));
        AnthropicModelClient keyless =
                new AnthropicModelClient(provider, name -> Optional.of("a key nobody asked for"), Clock.system());

        // when
        keyless.chat(hello(), options());

        // then
        RecordedRequest sent = taken();
        assertThat(sent.getTarget()).isEqualTo("/v1/messages");
        assertThat(sent.getHeaders().get("x-api-key")).isNull();
        assertThat(sent.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    }

    @Test
    void embedding_is_an_invalid_request_naming_the_missing_api() {
        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class, () -> client.embed(new ModelRequest.Embedding(List.of("text")), options()));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.InvalidRequest.class);
        assertThat(failure.error().message()).contains("no embeddings API");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void refuses_openai_fields_it_cannot_honour_before_sending_anything() {
        // given
        ModelRequest.Chat request = new ModelRequest.Chat(
                List.of(ChatMessage.user("Answer in JSON.")),
                OptionalInt.empty(),
                OptionalDouble.empty(),
                Map.of("response_format", JsonNodeFactory.instance.objectNode().put("type", "json_object")));

        // when
        ModelException failure = catchThrowableOfType(ModelException.class, () -> client.chat(request, options()));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.InvalidRequest.class);
        assertThat(failure.error().message()).contains("[response_format]");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void refuses_image_urls_the_api_cannot_take_before_sending_anything() {
        // given
        List<String> urls = List.of("http://example.com/cat.png", "data:image/bmp;base64,Qk0=", "data:image/png,raw");

        for (String url : urls) {
            ModelRequest.Chat request =
                    ModelRequest.Chat.of(new ChatMessage(ChatMessage.Role.USER, List.of(new ContentPart.Image(url))));

            // when
            ModelException failure = catchThrowableOfType(ModelException.class, () -> client.chat(request, options()));

            // then
            assertThat(failure.error()).as(url).isInstanceOf(ModelError.InvalidRequest.class);
        }
        assertThat(server.getRequestCount()).isZero();
    }
}
