package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input on the compatible routes: a 4xx in the route's error shape, naming what is wrong, every time. */
class CompatibleValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "/v1/chat/completions";
    private static final String EMBEDDINGS = "/v1/embeddings";
    private static final String MESSAGES = "/v1/messages";
    private static final String USER = "{\"role\": \"user\", \"content\": \"hi\"}";
    private static CompatibleGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new CompatibleGateway();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String chat(String fields) {
        return "{\"model\": \"chat\", \"messages\": [" + USER + "]" + fields + "}";
    }

    private static String messages(String fields) {
        return "{\"model\": \"chat\", \"max_tokens\": 10, \"messages\": [" + USER + "]" + fields + "}";
    }

    static Stream<Arguments> bad_requests() {
        String deep = "[".repeat(300) + "]".repeat(300);
        return Stream.of(
                Arguments.of(CHAT, "", "the request body is empty"),
                Arguments.of(CHAT, "{\"model\": ", "not valid JSON"),
                Arguments.of(CHAT, "[1, 2]", "must be a JSON object, but was an array"),
                Arguments.of(CHAT, "{\"messages\": [" + USER + "]}", "model: required"),
                Arguments.of(CHAT, "{\"model\": 7, \"messages\": [" + USER + "]}", "model: expected a string"),
                Arguments.of(CHAT, "{\"model\": \"chat\"}", "messages: required"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": []}",
                        "messages: expected a non-empty array of messages, but was an empty array"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [" + USER
                                + ", {\"role\": \"assistant\", \"content\": \"a\"},"
                                + " {\"role\": \"user\", \"content\": 5}]}",
                        "messages[2].content: expected a string or an array of parts"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}",
                        "messages[0].role: expected system, developer, user, assistant or tool"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
                                + " \"input_audio\"}]}]}",
                        "messages[0].content[0].type: expected text or image_url"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
                                + " \"image_url\", \"image_url\": {\"url\": \"file:///etc/passwd\"}}]}]}",
                        "messages[0].content[0].image_url.url: expected an http(s) or data: URL"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \"x\", \"mood\": 1}]}",
                        "messages[0].mood: unknown field"),
                Arguments.of(CHAT, chat(", \"temperature\": 3"), "temperature: expected a number between 0 and 2"),
                Arguments.of(
                        CHAT, chat(", \"temperature\": \"hot\""), "temperature: expected a number between 0 and 2"),
                Arguments.of(CHAT, chat(", \"max_tokens\": 0"), "max_tokens: expected a positive integer"),
                Arguments.of(
                        CHAT, chat(", \"max_completion_tokens\": 1.5"), "max_completion_tokens: expected a positive"),
                Arguments.of(CHAT, chat(", \"stream\": \"yes\""), "stream: expected true or false"),
                Arguments.of(
                        CHAT, chat(", \"stream_options\": {\"include_usage\": true}"), "stream_options: only allowed"),
                Arguments.of(CHAT, chat(", \"n\": 2"), "n: only 1 choice"),
                Arguments.of(CHAT, chat(", \"frobnicate\": true"), "frobnicate: unknown field"),
                Arguments.of(CHAT, chat(", \"tools\": {}"), "tools: expected an array of tools, but was an object"),
                Arguments.of(CHAT, chat(", \"tools\": [{}]"), "tools[0].function: required"),
                Arguments.of(
                        CHAT,
                        chat(", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": 7}}]"),
                        "tools[0].function.name: expected a string, but was a number"),
                Arguments.of(
                        CHAT,
                        chat(", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get weather\"}}]"),
                        "tools[0].function.name: expected 1 to 64 letters, digits, '_' or '-', but was 'get weather'"),
                Arguments.of(
                        CHAT,
                        chat(", \"tools\": [{\"type\": \"custom\", \"custom\": {\"name\": \"f\"}}]"),
                        "tools[0].type: expected 'function', but was 'custom'"),
                Arguments.of(
                        CHAT,
                        chat(
                                ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": []}}]"),
                        "tools[0].function.parameters: expected a JSON Schema object, but was an empty array"),
                Arguments.of(
                        CHAT,
                        chat(", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}},"
                                + " {\"type\": \"function\", \"function\": {\"name\": \"f\"}}]"),
                        "tools[1].function.name: a tool named 'f' was already given"),
                Arguments.of(
                        CHAT,
                        chat(", \"tool_choice\": \"required\""),
                        "tool_choice: 'required' needs at least one tool"),
                Arguments.of(
                        CHAT, chat(", \"tool_choice\": \"sometimes\""), "tool_choice: expected none, auto, required"),
                Arguments.of(
                        CHAT,
                        chat(", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]"
                                + ", \"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"g\"}}"),
                        "tool_choice.function.name: names the tool 'g', which is not among the tools [f]"),
                Arguments.of(
                        CHAT,
                        chat(", \"parallel_tool_calls\": \"yes\""),
                        "parallel_tool_calls: expected true or false"),
                Arguments.of(CHAT, chat(", \"functions\": [{}]"), "functions: the deprecated functions field"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [" + USER + ", {\"role\": \"assistant\", \"tool_calls\":"
                                + " [{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"f\"}}]}]}",
                        "messages[1].tool_calls[0].function.arguments: required"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [" + USER
                                + ", {\"role\": \"assistant\", \"tool_calls\": []}]}",
                        "messages[1].tool_calls: expected a non-empty array of tool calls, but was an empty array"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [" + USER + ", {\"role\": \"tool\", \"content\": \"x\"}]}",
                        "messages[1].tool_call_id: required"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \"x\", \"tool_call_id\": \"c\"}]}",
                        "messages[0].tool_call_id: only allowed in an assistant or tool message"),
                Arguments.of(CHAT, chat(", \"model\": \"chat\""), "Duplicate field 'model'"),
                Arguments.of(CHAT, chat(", \"metadata\": {\"deep\": " + deep + "}"), "exceeds a limit"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"embedder\", \"messages\": [" + USER + "]}",
                        "model 'embedder' is an embedding model"),
                Arguments.of(
                        CHAT,
                        "{\"model\": \"chat\", \"messages\": [" + USER + "], \"temperature\": 9, \"n\": 3}",
                        "temperature: expected a number between 0 and 2, but was 9; n: only 1 choice"),
                Arguments.of(EMBEDDINGS, "{\"model\": \"embedder\"}", "input: required"),
                Arguments.of(EMBEDDINGS, "{\"model\": \"embedder\", \"input\": \"\"}", "input: must not be empty"),
                Arguments.of(
                        EMBEDDINGS,
                        "{\"model\": \"embedder\", \"input\": [1, 2, 3]}",
                        "input[0]: token arrays are not"),
                Arguments.of(
                        EMBEDDINGS, "{\"model\": \"embedder\", \"input\": [[1, 2]]}", "input[0]: token arrays are not"),
                Arguments.of(
                        EMBEDDINGS,
                        "{\"model\": \"embedder\", \"input\": \"x\", \"encoding_format\": \"int8\"}",
                        "encoding_format: expected float or base64"),
                Arguments.of(
                        EMBEDDINGS,
                        "{\"model\": \"embedder\", \"input\": \"x\", \"dimensions\": -1}",
                        "dimensions: expected a positive integer"),
                Arguments.of(
                        EMBEDDINGS,
                        "{\"model\": \"chat\", \"input\": \"x\"}",
                        "model 'chat' is a chat model and cannot answer an embedding request"),
                Arguments.of(MESSAGES, "", "the request body is empty"),
                Arguments.of(
                        MESSAGES, messages(", \"temperature\": 1.5"), "temperature: expected a number between 0 and 1"),
                Arguments.of(
                        MESSAGES, messages(", \"stop_sequences\": [\"x\"]"), "stop_sequences: stop sequences are not"),
                Arguments.of(MESSAGES, messages(", \"frobnicate\": 1"), "frobnicate: unknown field"),
                Arguments.of(
                        MESSAGES, messages(", \"system\": 5"), "system: expected a string or an array of text blocks"),
                Arguments.of(
                        MESSAGES,
                        "{\"model\": \"chat\", \"max_tokens\": 10, \"messages\": [{\"role\": \"system\", \"content\":"
                                + " \"x\"}]}",
                        "messages[0].role: expected user or assistant"),
                Arguments.of(
                        MESSAGES,
                        "{\"model\": \"chat\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\":"
                                + " [{\"type\": \"tool_result\"}]}]}",
                        "messages[0].content[0].tool_use_id: required"),
                Arguments.of(
                        MESSAGES,
                        "{\"model\": \"chat\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\":"
                                + " [{\"type\": \"tool_use\", \"id\": \"t\", \"name\": \"f\", \"input\": {}}]}]}",
                        "messages[0].content[0].type: a tool_use block is not allowed in a user message"),
                Arguments.of(
                        MESSAGES,
                        "{\"model\": \"chat\", \"max_tokens\": 10, \"messages\": [" + USER
                                + ", {\"role\": \"assistant\","
                                + " \"content\": [{\"type\": \"tool_use\", \"id\": \"t\", \"name\": \"f\", \"input\": \"x\"}]}]}",
                        "messages[1].content[0].input: expected an object, but was a string"),
                Arguments.of(
                        MESSAGES,
                        "{\"model\": \"chat\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\":"
                                + " [{\"type\": \"document\"}]}]}",
                        "messages[0].content[0].type: expected text, image, tool_use or tool_result"),
                Arguments.of(MESSAGES, messages(", \"tools\": [{\"name\": \"f\"}]"), "tools[0].input_schema: required"),
                Arguments.of(
                        MESSAGES,
                        messages(", \"tools\": [{\"name\": 3, \"input_schema\": {\"type\": \"object\"}}]"),
                        "tools[0].name: expected a string, but was a number"),
                Arguments.of(
                        MESSAGES,
                        messages(", \"tools\": [{\"type\": \"web_search_20250305\", \"name\": \"web_search\"}]"),
                        "tools[0].type: only client tools (type custom) are supported"),
                Arguments.of(
                        MESSAGES,
                        messages(", \"tools\": [{\"name\": \"f\", \"input_schema\": {\"type\": \"array\"}}]"),
                        "tools[0].input_schema.type: expected 'object', but was \"array\""),
                Arguments.of(
                        MESSAGES,
                        messages(", \"tool_choice\": \"auto\""),
                        "tool_choice: expected an object with a type"),
                Arguments.of(
                        MESSAGES,
                        messages(", \"tool_choice\": {\"type\": \"any\"}"),
                        "tool_choice.type: 'any' needs at least one tool"),
                Arguments.of(
                        MESSAGES,
                        messages(", \"tool_choice\": {\"type\": \"maybe\"}"),
                        "tool_choice.type: expected auto, any, tool or none, but was 'maybe'"),
                Arguments.of(
                        MESSAGES,
                        "{\"model\": \"chat\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\":"
                                + " [{\"type\": \"image\", \"source\": {\"type\": \"base64\", \"media_type\":"
                                + " \"image/bmp\", \"data\": \"AA==\"}}]}]}",
                        "messages[0].content[0].source.media_type: expected image/jpeg"),
                Arguments.of(
                        MESSAGES,
                        "{\"model\": \"chat\", \"max_tokens\": -5, \"messages\": [" + USER + "]}",
                        "max_tokens: expected a positive integer"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("bad_requests")
    void refuses_a_bad_request_with_a_400_naming_the_problem(String path, String body, String problem)
            throws Exception {
        // when
        HttpResponse<String> response = gateway.post(path, body);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(messageOf(path, JSON.readTree(response.body()))).contains(problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void refuses_invalid_utf8_with_a_400(String path) throws Exception {
        // given
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"model\": \"chat\", \"input\": \"".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));

        // when
        HttpResponse<String> response = gateway.post(path, body.toByteArray());

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(messageOf(path, JSON.readTree(response.body()))).containsIgnoringCase("UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void refuses_a_string_over_the_length_limit_with_a_400(String path) throws Exception {
        // given
        String huge = "x".repeat(JsonBodies.MAX_STRING_LENGTH + 1);

        // when
        HttpResponse<String> response = gateway.post(path, "{\"model\": \"" + huge + "\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(messageOf(path, JSON.readTree(response.body()))).contains("exceeds a limit");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void refuses_a_body_over_the_size_limit_with_a_413(String path) throws Exception {
        // given
        byte[] body = new byte[(int) GatewayServer.MAX_BODY_BYTES + 1];
        Arrays.fill(body, (byte) ' ');

        // when
        HttpResponse<String> response = gateway.postExpectingRefusal(path, body);

        // then
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void accepts_documented_options_it_ignores(String path) throws Exception {
        // given
        String body = switch (path) {
            case CHAT -> chat(", \"user\": \"u-1\", \"top_p\": 0.9, \"seed\": 4, \"logprobs\": false");
            case EMBEDDINGS -> "{\"model\": \"embedder\", \"input\": \"x\", \"user\": \"u-1\"}";
            default -> messages(", \"metadata\": {\"user_id\": \"u-1\"}, \"top_k\": 5");
        };

        // when
        HttpResponse<String> response = gateway.post(path, body);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
    }

    static Stream<String> routes() {
        return Stream.of(CHAT, EMBEDDINGS, MESSAGES);
    }

    private static String messageOf(String path, JsonNode body) {
        if (path.equals(MESSAGES)) {
            assertThat(body.get("type").asText()).isEqualTo("error");
            assertThat(body.get("error").get("type").asText()).isEqualTo("invalid_request_error");
        } else {
            assertThat(body.get("error").get("type").asText()).isEqualTo("invalid_request_error");
        }
        return body.get("error").get("message").asText();
    }
}
