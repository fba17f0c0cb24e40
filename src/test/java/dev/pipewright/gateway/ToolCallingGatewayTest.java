package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tool calling on both compatible routes, as JSON and as a stream, against models behind both provider adapters:
 * {@code gpt} speaks OpenAI upstream and {@code claude} Anthropic, so half the cases translate a request across
 * wire formats and its answer back.
 */
class ToolCallingGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
            + "\"days\":{\"type\":\"integer\"}},\"required\":[\"city\",\"days\"]}";
    private static final String ARGUMENTS = "{\"city\":\"sample city\",\"days\":1}";
    private static ToolGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new ToolGateway();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** A fresh prompt per call, so that no answer comes from the cache unless a test asks for it. */
    private static String prompt() {
        return "Weather in Paris? " + UUID.randomUUID();
    }

    private static String openAiTools(String model, String prompt, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"description\":\"The weather at a place\",\"parameters\":" + SCHEMA + "}}]" + extra + "}";
    }

    private static String anthropicTools(String model, String prompt, String extra) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt + "\"}],\"tools\":[{\"name\":\"get_weather\",\"description\":\"The weather at a place\","
                + "\"input_schema\":" + SCHEMA + "}]" + extra + "}";
    }

    private static List<JsonNode> dataOf(String body) throws Exception {
        List<JsonNode> frames = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            String data = frame.substring(frame.indexOf("data: ") + "data: ".length());
            if (!data.equals("[DONE]")) {
                frames.add(JSON.readTree(data));
            }
        }
        return frames;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt", "claude"})
    void the_openai_route_answers_a_tool_call_as_json(String model) throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", openAiTools(model, prompt(), ""));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode choice = JSON.readTree(response.body()).path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").isNull()).isTrue();
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertThat(call.path("id").asText()).isNotBlank();
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.path("function").path("arguments").asText()))
                .isEqualTo(JSON.readTree(ARGUMENTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt", "claude"})
    void the_openai_route_streams_a_tool_call_as_indexed_chunks(String model) throws Exception {
        // when
        HttpResponse<String> response =
                gateway.post("/v1/chat/completions", openAiTools(model, prompt(), ",\"stream\":true"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        List<JsonNode> chunks = dataOf(response.body());
        List<JsonNode> calls = new ArrayList<>();
        chunks.forEach(chunk ->
                chunk.path("choices").path(0).path("delta").path("tool_calls").forEach(calls::add));
        assertThat(calls.getFirst().path("index").asInt()).isZero();
        assertThat(calls.getFirst().path("id").asText()).isNotBlank();
        assertThat(calls.getFirst().path("function").path("name").asText()).isEqualTo("get_weather");
        StringBuilder arguments = new StringBuilder();
        calls.forEach(call -> {
            assertThat(call.path("index").asInt()).isZero();
            arguments.append(call.path("function").path("arguments").asText());
        });
        assertThat(JSON.readTree(arguments.toString())).isEqualTo(JSON.readTree(ARGUMENTS));
        assertThat(chunks.getLast()
                        .path("choices")
                        .path(0)
                        .path("finish_reason")
                        .asText())
                .isEqualTo("tool_calls");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt", "claude"})
    void the_anthropic_route_answers_a_tool_use_block_as_json(String model) throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/messages", anthropicTools(model, prompt(), ""));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode message = JSON.readTree(response.body());
        assertThat(message.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(message.path("content")).hasSize(1);
        JsonNode block = message.path("content").path(0);
        assertThat(block.path("type").asText()).isEqualTo("tool_use");
        assertThat(block.path("id").asText()).isNotBlank();
        assertThat(block.path("name").asText()).isEqualTo("get_weather");
        assertThat(block.path("input")).isEqualTo(JSON.readTree(ARGUMENTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt", "claude"})
    void the_anthropic_route_streams_a_tool_use_block_with_input_json_deltas(String model) throws Exception {
        // when
        HttpResponse<String> response =
                gateway.post("/v1/messages", anthropicTools(model, prompt(), ",\"stream\":true"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> events = dataOf(response.body());
        List<String> types =
                events.stream().map(event -> event.path("type").asText()).toList();
        assertThat(types.getFirst()).isEqualTo("message_start");
        assertThat(types.getLast()).isEqualTo("message_stop");
        JsonNode start = events.stream()
                .filter(event -> event.path("type").asText().equals("content_block_start"))
                .findFirst()
                .orElseThrow();
        assertThat(start.path("index").asInt()).isZero();
        assertThat(start.path("content_block").path("type").asText()).isEqualTo("tool_use");
        assertThat(start.path("content_block").path("name").asText()).isEqualTo("get_weather");
        StringBuilder input = new StringBuilder();
        events.stream()
                .filter(event -> event.path("delta").path("type").asText().equals("input_json_delta"))
                .forEach(event ->
                        input.append(event.path("delta").path("partial_json").asText()));
        assertThat(JSON.readTree(input.toString())).isEqualTo(JSON.readTree(ARGUMENTS));
        JsonNode delta = events.stream()
                .filter(event -> event.path("type").asText().equals("message_delta"))
                .findFirst()
                .orElseThrow();
        assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt", "claude"})
    void the_openai_route_hands_a_tool_result_back_and_answers_with_text(String model) throws Exception {
        // given
        String body = "{\"model\":\"" + model + "\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\",\\\"days\\\":1}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"18 C and cloudy " + UUID.randomUUID()
                + "\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":" + SCHEMA
                + "}}]}";

        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", body);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode choice = JSON.readTree(response.body()).path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.path("message").path("content").asText()).startsWith("The tool answered: 18 C and cloudy");
        assertThat(choice.path("message").has("tool_calls")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt", "claude"})
    void the_anthropic_route_hands_a_tool_result_back_and_streams_text(String model) throws Exception {
        // given
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":200,\"stream\":true,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Paris\",\"days\":1}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"18 C " + UUID.randomUUID() + "\"}]}]}],"
                + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":" + SCHEMA + "}]}";

        // when
        HttpResponse<String> response = gateway.post("/v1/messages", body);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        String stopReason = "";
        for (JsonNode event : dataOf(response.body())) {
            if (event.path("delta").path("type").asText().equals("text_delta")) {
                text.append(event.path("delta").path("text").asText());
            }
            if (event.path("type").asText().equals("message_delta")) {
                stopReason = event.path("delta").path("stop_reason").asText();
            }
        }
        assertThat(text.toString()).startsWith("The tool answered: 18 C");
        assertThat(stopReason).isEqualTo("end_turn");
    }

    @Test
    void a_cached_tool_call_is_replayed_as_a_stream_with_the_same_call() throws Exception {
        // given
        String prompt = prompt();
        HttpResponse<String> first = gateway.post("/v1/chat/completions", openAiTools("gpt", prompt, ""));
        String callId = JSON.readTree(first.body())
                .path("choices")
                .path(0)
                .path("message")
                .path("tool_calls")
                .path(0)
                .path("id")
                .asText();

        // when
        HttpResponse<String> again =
                gateway.post("/v1/chat/completions", openAiTools("gpt", prompt, ",\"stream\":true"));

        // then
        assertThat(first.headers().firstValue("x-pipewright-cache")).hasValue("miss");
        assertThat(again.headers().firstValue("x-pipewright-cache")).hasValue("hit");
        List<JsonNode> chunks = dataOf(again.body());
        JsonNode call = chunks.stream()
                .map(chunk -> chunk.path("choices")
                        .path(0)
                        .path("delta")
                        .path("tool_calls")
                        .path(0))
                .filter(JsonNode::isObject)
                .findFirst()
                .orElseThrow();
        assertThat(call.path("id").asText()).isEqualTo(callId);
        assertThat(JSON.readTree(call.path("function").path("arguments").asText()))
                .isEqualTo(JSON.readTree(ARGUMENTS));
        assertThat(chunks.getLast()
                        .path("choices")
                        .path(0)
                        .path("finish_reason")
                        .asText())
                .isEqualTo("tool_calls");
    }

    @Test
    void requests_that_differ_only_in_their_tools_do_not_share_a_cache_entry() throws Exception {
        // given
        String prompt = prompt();
        gateway.post("/v1/chat/completions", openAiTools("gpt", prompt, ""));

        // when
        HttpResponse<String> withoutTools = gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");

        // then
        assertThat(withoutTools.headers().firstValue("x-pipewright-cache")).hasValue("miss");
        assertThat(JSON.readTree(withoutTools.body())
                        .path("choices")
                        .path(0)
                        .path("finish_reason")
                        .asText())
                .isEqualTo("stop");
    }

    @Test
    void a_malformed_tool_definition_is_a_400_naming_the_field() throws Exception {
        // given
        String body = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":7}}]}";

        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", body);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asText())
                .contains("tools[0].function.name: expected a string, but was a number");
        assertThat(error.path("param").asText()).isEqualTo("tools[0].function.name");
    }

    @Test
    void an_anthropic_tool_choice_naming_an_unknown_tool_is_a_400() throws Exception {
        // when
        HttpResponse<String> response = gateway.post(
                "/v1/messages",
                anthropicTools("claude", "hi", ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"nope\"}"));

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText())
                .contains("tool_choice.name: names the tool 'nope', which is not among the tools [get_weather]");
    }
}
