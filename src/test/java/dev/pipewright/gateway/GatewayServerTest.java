package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.telemetry.LogFieldsConverter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class GatewayServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "pw_gateway-server-test-key";
    private static GatewayServer server;

    /** Answers every chat with the prompt it was given, so results show the templating worked. */
    private static final class EchoClient implements ModelClient {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            String prompt = request.messages().getLast().text();
            return new ModelResponse.Chat(options.model(), "echo: " + prompt, "stop", new Usage(3, 2, 0));
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            return new ModelResponse.Embedding(options.model(), List.of(new float[] {1, 0}), new Usage(1, 0, 0));
        }
    }

    @BeforeAll
    static void start() {
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat}
                pipelines:
                  echo:
                    steps:
                      answer: {model: chat, prompt: "Answer: {{input.text}}"}
                tenants:
                  acme: {api_keys: ["%s"]}
                """.formatted(ApiKeys.hash(KEY)), "test.yaml");
        EchoClient client = new EchoClient();
        ModelCall call = new ModelCall(List.of(), model -> client, config::model, Clock.system());
        server = GatewayServer.start(
                "127.0.0.1", 0, () -> config, new PipelineExecutor(call, config::model, Clock.system()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + KEY);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runs_a_pipeline_and_answers_with_its_result() throws Exception {
        // when
        HttpResponse<String> response = post("/v1/pipelines/echo", "{\"input\": {\"text\": \"hello\"}}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("pipeline").asText()).isEqualTo("echo");
        assertThat(body.get("results").get("answer").asText()).isEqualTo("echo: Answer: hello");
        assertThat(body.get("models_used").toString()).isEqualTo("[\"chat\"]");
        assertThat(body.get("request_id").asText())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void echoes_the_request_id_the_client_sent() throws Exception {
        // when
        HttpResponse<String> response =
                post("/v1/pipelines/echo", "{\"input\": {\"text\": \"x\"}}", "X-Request-Id", "client-42");

        // then
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("client-42");
        assertThat(JSON.readTree(response.body()).get("request_id").asText()).isEqualTo("client-42");
    }

    static Stream<Arguments> bad_requests() {
        return Stream.of(
                Arguments.of("/v1/pipelines/echo", "", 400, "empty"),
                Arguments.of("/v1/pipelines/echo", "{\"input\": ", 400, "not valid JSON"),
                Arguments.of("/v1/pipelines/echo", "[1, 2]", 400, "must be a JSON object"),
                Arguments.of("/v1/pipelines/echo", "{\"input\": \"text\"}", 400, "input: expected a JSON object"),
                Arguments.of("/v1/pipelines/echo", "{\"input\": {}, \"extra\": 1}", 400, "unknown field 'extra'"),
                Arguments.of("/v1/pipelines/echo", "{\"input\": {}, \"input\": {}}", 400, "Duplicate field"),
                Arguments.of(
                        "/v1/pipelines/echo",
                        "{\"input\": {\"deep\": " + "[".repeat(200) + "]".repeat(200) + "}}",
                        400,
                        "exceeds a limit"),
                Arguments.of("/v1/pipelines/echo", "{\"input\": {}}", 400, "input.text"),
                Arguments.of("/v1/pipelines/nope", "{\"input\": {}}", 404, "no pipeline named 'nope'"));
    }

    @ParameterizedTest
    @MethodSource
    void bad_requests(String path, String body, int status, String detail) throws Exception {
        // when
        HttpResponse<String> response = post(path, body);

        // then
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains(detail);
    }

    @Test
    void invalid_utf8_is_a_client_error() throws Exception {
        // given
        byte[] body = {
            '{',
            '"',
            'i',
            'n',
            'p',
            'u',
            't',
            '"',
            ':',
            '{',
            '"',
            't',
            'e',
            'x',
            't',
            '"',
            ':',
            '"',
            (byte) 0xC3,
            (byte) 0x28,
            '"',
            '}',
            '}'
        };

        // when
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/pipelines/echo"))
                        .header("x-api-key", KEY)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void a_body_over_the_limit_is_refused_before_it_is_read() throws Exception {
        // given: the headers announce a body over the limit, and none of it is sent
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String head = "POST /v1/pipelines/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (GatewayServer.MAX_BODY_BYTES + 1) + "\r\n\r\n";

            // when
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();

            // then
            assertThat(statusLine).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void a_request_without_a_key_is_refused_as_problem_json() throws Exception {
        // when
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/pipelines/echo"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"x\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("request_id").asText())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void writes_one_access_line_per_request_with_its_route_pattern_status_and_request_id() throws Exception {
        // given
        Logger access = (Logger) LoggerFactory.getLogger("pipewright.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Level level = access.getLevel();
        access.setLevel(Level.INFO);
        lines.start();
        access.addAppender(lines);
        try {
            // when
            HttpResponse<String> response =
                    post("/v1/pipelines/echo", "{\"input\": {\"text\": \"x\"}}", "X-Request-Id", "access-1");

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            await().untilAsserted(() -> assertThat(lines.list).anySatisfy(line -> {
                assertThat(line.getFormattedMessage()).isEqualTo("POST /v1/pipelines/{name} 200");
                assertThat(line.getFormattedMessage() + new LogFieldsConverter().convert(line))
                        .contains("method=POST", "route=/v1/pipelines/{name}", "status=200")
                        .containsPattern("latency_ms=\\d+")
                        .doesNotContain(KEY);
                assertThat(line.getMDCPropertyMap()).containsEntry("request_id", "access-1");
            }));
        } finally {
            access.detachAppender(lines);
            access.setLevel(level);
        }
    }

    @Test
    void reports_liveness() throws IOException, InterruptedException {
        // when
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/live"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("UP");
    }
}
