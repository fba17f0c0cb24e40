package dev.pipewright.provider.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.model.Clock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "[{\"role\":\"user\",\"content\":\"Describe a river\"}]";

    private static SimulatorServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        SimulationProfiles profiles = SimulationProfiles.of(Map.of("sim-configured", SimulationConfig.DEFAULT));
        server = SimulatorServer.start("127.0.0.1", 0, profiles, Clock.system(), new java.util.Random(7));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    @AfterAll
    static void stop() {
        server.close();
        http.close();
    }

    @Test
    void answers_an_openai_chat_completion() throws Exception {
        // when
        HttpResponse<String> response = openAi("/v1/chat/completions", chat("sim+latency=2ms+tokens=5", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("id").asText()).startsWith("chatcmpl-");
        assertThat(body.path("model").asText()).isEqualTo("sim+latency=2ms+tokens=5");
        assertThat(body.path("created").asLong()).isPositive();
        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText().split(" ")).hasSize(5);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = body.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(4);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(9);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").isInt())
                .isTrue();
    }

    @Test
    void streams_an_openai_chat_completion_with_a_usage_chunk_and_done() throws Exception {
        // given
        String whole = JSON.readTree(
                        openAi("/v1/chat/completions", chat("sim+tokens=6", "")).body())
                .at("/choices/0/message/content")
                .asText();

        // when
        HttpResponse<String> response = openAi(
                "/v1/chat/completions",
                chat("sim+tokens=6", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

        // then
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<String> data = dataLines(response.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = parse(data.subList(0, data.size() - 1));
        assertThat(chunks)
                .allSatisfy(chunk -> assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        String streamed = chunks.stream()
                .map(chunk -> chunk.at("/choices/0/delta/content").asText(""))
                .collect(Collectors.joining());
        assertThat(streamed).isEqualTo(whole);
        JsonNode last = chunks.get(chunks.size() - 2);
        assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.getLast();
        assertThat(usage.path("choices").isEmpty()).isTrue();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(6);
    }

    @Test
    void embeds_as_floats_and_as_base64_of_the_same_floats() throws Exception {
        // given
        String request = "{\"model\":\"sim-embed+dims=16\",\"input\":[\"alpha\",\"beta\"]%s}";

        // when
        JsonNode floats =
                JSON.readTree(openAi("/v1/embeddings", request.formatted("")).body());
        JsonNode base64 = JSON.readTree(openAi("/v1/embeddings", request.formatted(",\"encoding_format\":\"base64\""))
                .body());

        // then
        assertThat(floats.path("object").asText()).isEqualTo("list");
        assertThat(floats.at("/data/1/object").asText()).isEqualTo("embedding");
        assertThat(floats.at("/data/1/index").asInt()).isEqualTo(1);
        assertThat(floats.at("/usage/prompt_tokens").asInt()).isEqualTo(2 + 1);
        for (int i = 0; i < 2; i++) {
            JsonNode vector = floats.path("data").path(i).path("embedding");
            assertThat(vector).hasSize(16);
            float[] decoded =
                    decode(base64.path("data").path(i).path("embedding").asText());
            for (int j = 0; j < 16; j++) {
                assertThat(decoded[j]).isEqualTo(vector.get(j).floatValue());
            }
        }
        assertThat(floats.at("/data/0/embedding")).isNotEqualTo(floats.at("/data/1/embedding"));
    }

    @Test
    void lists_the_configured_models() throws Exception {
        // when
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri("/v1/models"))
                        .header("Authorization", "Bearer sk-test")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.at("/data/0/id").asText()).isEqualTo("sim-configured");
        assertThat(body.at("/data/0/object").asText()).isEqualTo("model");
    }

    @Test
    void answers_an_anthropic_message() throws Exception {
        // when
        HttpResponse<String> response = anthropic(message("sim+latency=1ms+tokens=4", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asText()).startsWith("msg_");
        assertThat(body.path("type").asText()).isEqualTo("message");
        assertThat(body.path("role").asText()).isEqualTo("assistant");
        assertThat(body.at("/content/0/type").asText()).isEqualTo("text");
        assertThat(body.at("/content/0/text").asText().split(" ")).hasSize(4);
        assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(body.path("stop_sequence").isNull()).isTrue();
        assertThat(body.at("/usage/input_tokens").asInt()).isEqualTo(4);
        assertThat(body.at("/usage/output_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void streams_an_anthropic_message_as_its_event_sequence() throws Exception {
        // when
        HttpResponse<String> response = anthropic(message("sim+tokens=3", ",\"stream\":true"));

        // then
        List<String> events = eventNames(response.body());
        assertThat(events)
                .containsExactly(
                        "message_start",
                        "content_block_start",
                        "ping",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        List<JsonNode> data = parse(dataLines(response.body()));
        assertThat(data.getFirst().at("/message/usage/input_tokens").asInt()).isEqualTo(4);
        String text = data.stream()
                .filter(event -> event.path("type").asText().equals("content_block_delta"))
                .map(event -> event.at("/delta/text").asText())
                .collect(Collectors.joining());
        assertThat(text.split(" ")).hasSize(3);
        JsonNode delta = data.get(data.size() - 2);
        assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("end_turn");
        assertThat(delta.at("/usage/output_tokens").asInt()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "none",
            value = {
                "rate-limit,     429, requests,              rate_limit_exceeded,      2",
                "server-error,   500, server_error,          none,                     none",
                "overloaded,     503, server_error,          none,                     2",
                "context-length, 400, invalid_request_error, context_length_exceeded,  none",
                "content-filter, 400, invalid_request_error, content_policy_violation, none"
            })
    void answers_openai_faults_with_their_status_headers_and_error(
            String fault, int status, String type, String code, String retryAfter) throws Exception {
        // when
        HttpResponse<String> response =
                openAi("/v1/chat/completions", chat("sim+retry_after=1500ms+fault=" + fault, ""));

        // then
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("code").isNull() ? null : error.path("code").asText())
                .isEqualTo(code);
        assertThat(error.has("param")).isTrue();
        assertThat(response.headers().firstValue("retry-after").orElse(null)).isEqualTo(retryAfter);
        if (retryAfter != null) {
            assertThat(response.headers().firstValue("retry-after-ms")).hasValue("1500");
        }
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "none",
            value = {
                "rate-limit,     429, rate_limit_error,      2",
                "server-error,   500, api_error,             none",
                "overloaded,     529, overloaded_error,      2",
                "context-length, 400, invalid_request_error, none",
                "content-filter, 400, invalid_request_error, none"
            })
    void answers_anthropic_faults_with_their_status_headers_and_error(
            String fault, int status, String type, String retryAfter) throws Exception {
        // when
        HttpResponse<String> response = anthropic(message("sim+retry_after=1500ms+fault=" + fault, ""));

        // then
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo(type);
        assertThat(body.at("/error/message").asText()).isNotBlank();
        assertThat(response.headers().firstValue("retry-after").orElse(null)).isEqualTo(retryAfter);
    }

    @Test
    void a_connection_reset_reaches_the_client_as_an_io_error() {
        assertThatThrownBy(() -> openAi("/v1/chat/completions", chat("sim+fault=connection-reset", "")))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void no_answer_holds_until_the_client_gives_up() {
        // given
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("Authorization", "Bearer sk-test")
                .timeout(Duration.ofMillis(200))
                .POST(HttpRequest.BodyPublishers.ofString(chat("sim+fault=no-answer", "")))
                .build();

        // then
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void a_cut_stream_ends_without_finish_reason_or_done() throws Exception {
        // when
        List<String> openAi =
                dataLines(openAi("/v1/chat/completions", chat("sim+tokens=8+fault=stream-cut", ",\"stream\":true"))
                        .body());
        List<String> anthropic = eventNames(anthropic(message("sim+tokens=8+fault=stream-cut", ",\"stream\":true"))
                .body());

        // then
        assertThat(openAi).hasSize(1 + 4).doesNotContain("[DONE]");
        assertThat(parse(openAi))
                .allSatisfy(
                        chunk -> assertThat(chunk.at("/choices/0/finish_reason").isNull())
                                .isTrue());
        assertThat(anthropic).contains("content_block_delta").doesNotContain("message_delta", "message_stop");
    }

    @Test
    void a_malformed_chunk_comes_mid_stream_among_good_ones() throws Exception {
        // when
        List<String> data =
                dataLines(openAi("/v1/chat/completions", chat("sim+tokens=4+fault=malformed-chunk", ",\"stream\":true"))
                        .body());

        // then
        assertThat(data).containsOnlyOnce("{not json").endsWith("[DONE]");
        assertThat(data.indexOf("{not json")).isEqualTo(1 + 2);
    }

    @Test
    void a_stalled_stream_flushes_its_first_chunks_then_goes_silent() throws Exception {
        // given
        HttpResponse<InputStream> response = http.send(
                post("/v1/chat/completions", chat("sim+tokens=6+fault=stream-stall", ",\"stream\":true"))
                        .header("Authorization", "Bearer sk-test")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<String> received = new CopyOnWriteArrayList<>();

        // when
        try (InputStream body = response.body()) {
            Thread.ofVirtual().start(() -> readLines(body, received));

            // then
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> received.stream()
                                    .filter(line -> line.startsWith("data: "))
                                    .count()
                            == 1 + 3);
            assertThat(received).noneMatch(line -> line.contains("finish_reason\":\"stop") || line.contains("[DONE]"));
        }
    }

    @Test
    void a_slow_first_token_comes_after_the_opening_chunk_by_retry_after() throws Exception {
        // given: the delay is timed from the request, since the client may read the opening chunk late
        long sentAt = System.nanoTime();
        HttpResponse<InputStream> response = http.send(
                post(
                                "/v1/chat/completions",
                                chat("sim+tokens=2+retry_after=300ms+fault=slow-first-token", ",\"stream\":true"))
                        .header("Authorization", "Bearer sk-test")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());

        // when
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String opening = lines.readLine();
            lines.readLine();
            String firstToken = lines.readLine();
            Duration wait = Duration.ofNanos(System.nanoTime() - sentAt);

            // then
            assertThat(opening).contains("\"role\":\"assistant\"");
            assertThat(firstToken).contains("\"content\":\"");
            assertThat(wait).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model\": \"sim\", \"messages\": [ | none",
                "{\"messages\": " + PROMPT + "} | model",
                "{\"model\": \"sim\"} | messages",
                "{\"model\": \"sim\", \"messages\": []} | messages",
                "{\"model\": \"sim+latency=soon\", \"messages\": " + PROMPT + "} | model",
            },
            nullValues = "none")
    void a_bad_openai_request_is_a_400_naming_what_is_wrong(String body, String param) throws Exception {
        // when
        HttpResponse<String> response = openAi("/v1/chat/completions", body);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").isNull() ? null : error.path("param").asText())
                .isEqualTo(param);
        assertThat(error.path("message").asText()).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json | not valid JSON",
                "{\"model\": \"sim\", \"messages\": " + PROMPT + "} | max_tokens",
                "{\"model\": \"sim+tokens=x\", \"max_tokens\": 5, \"messages\": " + PROMPT + "} | tokens=x"
            })
    void a_bad_anthropic_request_is_a_400_in_anthropic_shape(String body, String named) throws Exception {
        // when
        HttpResponse<String> response = anthropic(body);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(json.at("/error/message").asText()).contains(named);
    }

    @Test
    void stops_at_the_callers_max_tokens_with_the_providers_stop_reason() throws Exception {
        // when
        JsonNode openAi = JSON.readTree(openAi("/v1/chat/completions", chat("sim+tokens=5", ",\"max_tokens\":2"))
                .body());
        JsonNode anthropic =
                JSON.readTree(anthropic("{\"model\":\"sim+tokens=5\",\"max_tokens\":2,\"messages\":" + PROMPT + "}")
                        .body());

        // then
        assertThat(openAi.at("/choices/0/message/content").asText().split(" ")).hasSize(2);
        assertThat(openAi.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(anthropic.at("/content/0/text").asText().split(" ")).hasSize(2);
        assertThat(anthropic.path("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void an_anthropic_request_without_a_version_header_is_a_400() throws Exception {
        // when
        HttpResponse<String> response = http.send(
                post("/v1/messages", message("sim", ""))
                        .header("x-api-key", "sk-ant-test")
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("anthropic-version");
    }

    @Test
    void a_request_without_a_key_is_refused_with_401() throws Exception {
        // when
        HttpResponse<String> openAi =
                http.send(post("/v1/chat/completions", chat("sim", "")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> anthropic = http.send(
                post("/v1/messages", message("sim", ""))
                        .header("anthropic-version", "2023-06-01")
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(openAi.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(openAi.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(anthropic.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(anthropic.body()).at("/error/type").asText()).isEqualTo("authentication_error");
    }

    private static String chat(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":" + PROMPT + extra + "}";
    }

    private static String message(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":100,\"messages\":" + PROMPT + extra + "}";
    }

    private static HttpResponse<String> openAi(String path, String body) throws IOException, InterruptedException {
        return http.send(
                post(path, body).header("Authorization", "Bearer sk-test").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> anthropic(String body) throws IOException, InterruptedException {
        return http.send(
                post("/v1/messages", body)
                        .header("x-api-key", "sk-ant-test")
                        .header("anthropic-version", "2023-06-01")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static List<String> dataLines(String stream) {
        return stream.lines()
                .filter(line -> line.startsWith("data: "))
                .map(line -> line.substring("data: ".length()))
                .toList();
    }

    private static List<String> eventNames(String stream) {
        return stream.lines()
                .filter(line -> line.startsWith("event: "))
                .map(line -> line.substring("event: ".length()))
                .toList();
    }

    private static List<JsonNode> parse(List<String> documents) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String document : documents) {
            nodes.add(JSON.readTree(document));
        }
        return nodes;
    }

    private static float[] decode(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(vector);
        return vector;
    }

    private static void readLines(InputStream body, List<String> into) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                into.add(line);
            }
        } catch (IOException e) {
            // The test closes the stream while this reader still waits on it.
        }
    }
}
