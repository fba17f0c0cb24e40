package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineExecutor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Runs requests under the production logging configuration in JSON form and reads every line it wrote. */
class JsonLogsTest {
    private static final String KEY = "pw-live-5f1c0ffee5ecret9a7b";
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private GatewayServer server;

    /** Fails every call with an error whose message would be logged, as a bug in a client would. */
    private static final class BrokenClient implements ModelClient {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            throw new IllegalStateException("the client broke");
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            return new ModelResponse.Embedding(options.model(), List.of(new float[] {1}), Usage.NONE);
        }
    }

    @BeforeEach
    void logAsJsonIntoABuffer() throws JoranException {
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        // As Main does: libraries that log through java.util.logging reach the same JSON encoder.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        configure("logback.xml", "json");
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat}
                pipelines:
                  echo:
                    steps:
                      answer: {model: chat, prompt: "Answer: {{input.text}}"}
                """, "test.yaml");
        BrokenClient client = new BrokenClient();
        ModelCall call = new ModelCall(List.of(), model -> client, config::model, Clock.system());
        AccessFilter access = TestAccess.masterKeyOnly(config, KEY, Clock.system());
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, new PipelineExecutor(call, config::model, Clock.system()))
                        .withAccess(access));
    }

    @AfterEach
    void restoreLogging() throws JoranException {
        server.close();
        configure("logback-test.xml", "text");
        System.setErr(originalErr);
    }

    @Test
    void error_lines_are_json_with_the_request_and_trace_ids_and_no_key_material() throws Exception {
        // given: requests that carry keys in both accepted headers and fail inside the server
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (String[] headers : List.of(
                new String[] {"Authorization", "Bearer " + KEY},
                new String[] {"x-api-key", KEY, "traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01"})) {
            responses.add(HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + server.port() + "/v1/pipelines/echo"))
                                    .headers(headers)
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"hi\"}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
        }

        // when
        String log = captured.toString(StandardCharsets.UTF_8);

        // then
        assertThat(responses)
                .allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(500));
        assertThat(log).doesNotContain(KEY).doesNotContain("5f1c0ffee5ecret");
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : log.lines().filter(line -> !line.isBlank()).toList()) {
            lines.add(json.readTree(line));
        }
        String tracedRequest =
                responses.get(1).headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(line.path("request_id").asText()).isEqualTo(tracedRequest);
            assertThat(line.path("trace_id").asText()).isEqualTo(TRACE_ID);
            assertThat(line.path("stack_trace").asText()).contains("the client broke");
        });
    }

    private static void configure(String resource, String format) throws JoranException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        URL configuration = JsonLogsTest.class.getClassLoader().getResource(resource);
        context.reset();
        context.putProperty("PIPEWRIGHT_LOG_FORMAT", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(configuration);
    }
}
