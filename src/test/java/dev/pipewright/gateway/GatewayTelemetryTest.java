package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.telemetry.PrometheusMetrics;
import dev.pipewright.telemetry.QueueGauges;
import dev.pipewright.telemetry.Telemetry;
import dev.pipewright.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayTelemetryTest {
    private static final String KEY = "test-key";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final AtomicInteger SENT = new AtomicInteger();
    private static Telemetry telemetry;
    private static GatewayServer server;
    private static ModelCall modelCall;

    private static final class FixedClient implements ModelClient {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            if (options.model().equals("sim-broken")) {
                throw new ModelException(new ModelError.InvalidRequest("refused"));
            }
            return new ModelResponse.Chat(options.model(), "answer", "stop", new Usage(3, 2, 1));
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
                  broken: {provider: sim, model: sim-broken}
                pipelines:
                  two:
                    steps:
                      first: {model: chat, prompt: "First: {{input.text}}"}
                      second: {model: chat, needs: [first], prompt: "Then: {{steps.first.text}}"}
                """, "test.yaml");
        telemetry = new Telemetry(new PrometheusMetrics(), Tracing.exportingTo(SPANS), Clock.system());
        FixedClient client = new FixedClient();
        modelCall = new ModelCall(
                List.of(telemetry.callMetrics(config::model), telemetry.attemptSpans(), telemetry.attemptMetrics()),
                model -> client,
                config::model,
                Clock.system());
        PipelineExecutor executor =
                new PipelineExecutor(modelCall, config::model, Clock.system(), telemetry.pipelineObserver());
        telemetry.observeModels(config.models().values(), alias -> "CLOSED");
        AccessFilter access = TestAccess.masterKeyOnly(config, KEY, Clock.system());
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor).withAccess(access).withTelemetry(telemetry));
    }

    @AfterAll
    static void stop() {
        server.close();
        telemetry.close();
    }

    @BeforeEach
    void forgetSpans() {
        SPANS.reset();
        SENT.set(0);
    }

    /**
     * A server span ends once its response has gone out, so it may end after the client has read the response: each
     * test waits for the server spans of all the requests it sent, which would otherwise land among the next test's.
     */
    @AfterEach
    void awaitServerSpans() {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> SPANS.getFinishedSpanItems().stream()
                                .filter(span -> span.getKind() == SpanKind.SERVER)
                                .count()
                        >= SENT.get());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        SENT.incrementAndGet();
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + KEY);
    }

    private static HttpResponse<String> runPipeline(String... headers) throws Exception {
        HttpRequest.Builder request = request("/v1/pipelines/two")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"hi\"}}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    @Test
    void metrics_are_served_in_prometheus_text_without_a_key() throws Exception {
        // given
        runPipeline();

        // when
        HttpResponse<String> metrics = send(request("/metrics").GET());

        // then
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue(PrometheusMetrics.CONTENT_TYPE);
        assertThat(metrics.body())
                .contains("pipewright_gateway_request_duration_seconds_bucket{")
                .contains("route=\"/v1/pipelines/{name}\"")
                .contains("jvm_memory_used_bytes")
                .doesNotContain("/v1/pipelines/two");
    }

    @Test
    void one_trace_spans_the_request_the_run_its_steps_and_their_model_attempts() throws Exception {
        // when
        HttpResponse<String> response = runPipeline("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");

        // then
        assertThat(response.headers().firstValue("traceresponse"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("00-" + TRACE_ID + "-"));
        // The server span ends once the response has gone out, so it may end after the client has read it.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> SPANS.getFinishedSpanItems().stream().anyMatch(span -> span.getKind() == SpanKind.SERVER));
        List<SpanData> spans = SPANS.getFinishedSpanItems();
        assertThat(spans).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));
        SpanData server = only(spans, "POST /v1/pipelines/{name}");
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
        SpanData run = only(spans, "pipeline two");
        assertThat(run.getParentSpanId()).isEqualTo(server.getSpanId());
        for (String step : List.of("first", "second")) {
            SpanData stepSpan = only(spans, "step " + step);
            assertThat(stepSpan.getParentSpanId()).isEqualTo(run.getSpanId());
            assertThat(spans)
                    .filteredOn(span -> span.getName().equals("chat sim-chat"))
                    .anySatisfy(attempt -> {
                        assertThat(attempt.getParentSpanId()).isEqualTo(stepSpan.getSpanId());
                        assertThat(attempt.getAttributes().asMap().toString())
                                .contains("gen_ai.system=sim", "gen_ai.request.model=sim-chat")
                                .contains("gen_ai.usage.input_tokens=3", "gen_ai.usage.output_tokens=2");
                    });
        }
    }

    @Test
    void every_metric_the_alert_rules_and_the_dashboard_use_is_exported() throws Exception {
        // given: a run, a streamed call, a failed call, and the meters other parts record through telemetry's APIs
        runPipeline();
        CallLabels labels = new CallLabels("acme", "two", "first", "req-1");
        Deadline deadline = Deadline.after(Duration.ofSeconds(10), Clock.system());
        ModelRequest.Chat chat = ModelRequest.Chat.of(ChatMessage.user("hi"));
        modelCall.stream(chat, "chat", deadline, "stream-1", labels, delta -> {});
        assertThatThrownBy(() -> modelCall.execute(chat, "broken", deadline, "broken-1", labels))
                .isInstanceOf(ModelCallException.class);
        telemetry.cost().record(labels, "sim", "chat", new BigDecimal("0.002"));
        telemetry.cache().hit("two");
        telemetry.cache().miss("two");
        telemetry.rateLimits().rejected("acme", "rpm");
        telemetry.budgets().register("acme", "daily", () -> 0.25);
        telemetry.observeQueue(new QueueGauges() {
            public long depth() {
                return 3;
            }

            public long inFlight() {
                return 1;
            }

            public Duration oldestWaiting() {
                return Duration.ofSeconds(2);
            }

            public long deadLetters() {
                return 0;
            }
        });

        // and a collection, which the JVM's pause timer is created by
        System.gc();

        // when
        await().atMost(Duration.ofSeconds(10))
                .until(() -> send(request("/metrics").GET()).body().contains("jvm_gc_pause_seconds_sum"));
        String scrape = send(request("/metrics").GET()).body();

        // then
        Set<String> referenced = new TreeSet<>();
        for (Path file : List.of(
                Path.of("deploy/prometheus/alerts.yml"),
                Path.of("deploy/prometheus/alerts.test.yml"),
                Path.of("deploy/grafana/pipewright.json"))) {
            referenced.addAll(metricNames(Files.readString(file)));
        }
        assertThat(referenced).contains("pipewright_queue_depth", "jvm_memory_used_bytes", "process_cpu_usage");
        Set<String> exported = new TreeSet<>();
        for (String line : scrape.lines().toList()) {
            Matcher name =
                    Pattern.compile("^(?:# TYPE )?([a-zA-Z_][a-zA-Z0-9_]*)").matcher(line);
            if (name.find()) {
                exported.add(name.group(1));
            }
        }
        assertThat(exported).containsAll(referenced);
    }

    /**
     * The raw metric names a rule or dashboard file uses, Pipewright's own and the JVM's and process's; recording
     * rules ({@code a:b:c}) are not raw names.
     */
    private static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("(?<![a-zA-Z0-9_:])(?:pipewright|jvm|process)_[a-z0-9_]+(?![a-z0-9_:])")
                .matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    private static SpanData only(List<SpanData> spans, String name) {
        List<SpanData> named =
                spans.stream().filter(span -> span.getName().equals(name)).toList();
        assertThat(named)
                .as(
                        "spans named %s among %s",
                        name, spans.stream().map(SpanData::getName).toList())
                .hasSize(1);
        return named.getFirst();
    }
}
