package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.jobs.WorkerSettings;
import dev.pipewright.jobs.webhook.HostResolver;
import dev.pipewright.jobs.webhook.WebhookDeliveries;
import dev.pipewright.jobs.webhook.WebhookDispatcher;
import dev.pipewright.jobs.webhook.WebhookSecrets;
import dev.pipewright.jobs.webhook.WebhookSender;
import dev.pipewright.jobs.webhook.WebhookSettings;
import dev.pipewright.jobs.webhook.WebhookTargets;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.provider.openai.OpenAiModelClient;
import dev.pipewright.store.Database;
import dev.pipewright.telemetry.PrometheusMetrics;
import dev.pipewright.telemetry.Telemetry;
import dev.pipewright.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace from the request that submits a job, across the queue, to the worker's pipeline, every model call (as
 * the provider sees it) and the webhook: a real gateway, SQLite job store, worker, OpenAI adapter against a
 * MockWebServer, and webhook receiver, with spans exported to memory.
 */
class JobTraceTest {
    private static final String KEY = "test-key";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String COMPLETION = """
            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini-2024-07-18",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "fine"}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}
            """;

    @TempDir
    Path folder;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final MockWebServer provider = new MockWebServer();
    private final MockWebServer receiver = new MockWebServer();
    private Telemetry telemetry;
    private Database database;
    private JobStore store;
    private GatewayServer server;
    private WorkerPool workers;
    private WebhookDispatcher webhooks;

    @BeforeEach
    void start() throws Exception {
        provider.start();
        receiver.start();
        for (int i = 0; i < 2; i++) {
            provider.enqueue(new MockResponse.Builder()
                    .addHeader("Content-Type", "application/json")
                    .body(COMPLETION)
                    .build());
        }
        receiver.enqueue(new MockResponse.Builder().code(204).build());
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  upstream: {kind: openai, base_url: "%s", api_key_env: UPSTREAM_KEY}
                models:
                  chat: {provider: upstream, model: gpt-4o-mini-2024-07-18}
                pipelines:
                  echo:
                    steps:
                      first: {model: chat, prompt: "One: {{input.text}}"}
                      second: {model: chat, needs: [first], prompt: "Two: {{steps.first.text}}"}
                webhooks: {allow: ["127.0.0.1"], secret_env: HOOK_SECRET}
                """.formatted(provider.url("/v1")), "test.yaml");
        telemetry = new Telemetry(new PrometheusMetrics(), Tracing.exportingTo(spans), Clock.system());
        OpenAiModelClient client = new OpenAiModelClient(
                config.providers().get("upstream"), name -> Optional.of("sk-upstream"), Clock.system());
        assertThat(config.providers().get("upstream").kind()).isEqualTo(ProviderKind.OPENAI);
        ModelCall call =
                new ModelCall(List.of(telemetry.attemptSpans()), model -> client, config::model, Clock.system());
        PipelineExecutor executor =
                new PipelineExecutor(call, config::model, Clock.system(), telemetry.pipelineObserver());
        database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("jobs.db")));
        store = JobStores.open(database, Clock.system());
        WebhookTargets targets = new WebhookTargets(config.webhooks().allow(), HostResolver.system());
        WebhookSecrets secrets = new WebhookSecrets(() -> config, Map.of("HOOK_SECRET", "whsec_x")::get);
        WebhookDeliveries deliveries = new WebhookDeliveries(database, Clock.system());
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor)
                        .withAccess(TestAccess.masterKeyOnly(config, KEY, Clock.system()))
                        .withTelemetry(telemetry)
                        .withJobs(new JobsApi(store, targets, secrets, deliveries)));
        workers = WorkerPool.start(
                1,
                store,
                executor,
                () -> config,
                Clock.system(),
                () -> 4L,
                WorkerSettings.defaults("traced"),
                telemetry.tracing().tracer());
        WebhookSettings settings = WebhookSettings.defaults();
        webhooks = new WebhookDispatcher(
                deliveries,
                store,
                new WebhookSender(targets, settings),
                secrets,
                settings,
                Clock.system(),
                () -> 4L,
                telemetry.tracing().tracer());
    }

    @AfterEach
    void stop() {
        workers.close();
        server.close();
        database.close();
        provider.close();
        receiver.close();
        telemetry.close();
    }

    @Test
    void one_trace_spans_the_submission_the_worker_every_model_call_and_the_webhook() throws Exception {
        // when: a client in a trace submits a job with a webhook
        HttpResponse<String> submitted = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/jobs"))
                                .header("Authorization", "Bearer " + KEY)
                                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"pipeline\": \"echo\", \"input\": {\"text\": \"hi\"}, \"webhook_url\": \""
                                                + receiver.url("/hooks") + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        String jobId =
                new ObjectMapper().readTree(submitted.body()).get("job_id").asText();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.find("default", jobId).orElseThrow().status() == JobStatus.SUCCEEDED);
        await().atMost(Duration.ofSeconds(20)).until(() -> webhooks.deliverDue() > 0 || receiver.getRequestCount() > 0);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> named("webhook job.succeeded").size() == 1);

        // then: the job's spans hang under the request that submitted it
        assertThat(submitted.statusCode()).isEqualTo(202);
        List<SpanData> all = spans.getFinishedSpanItems();
        assertThat(all).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));
        SpanData request = only("POST /v1/jobs");
        assertThat(request.getParentSpanId()).isEqualTo(CALLER_SPAN);
        SpanData claim = only("job claim");
        SpanData job = only("job echo");
        assertThat(claim.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(job.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(job.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(job.getAttributes().asMap().toString()).contains("pipewright.job.id=" + jobId);
        SpanData run = only("pipeline echo");
        assertThat(run.getParentSpanId()).isEqualTo(job.getSpanId());
        List<String> attemptIds = new ArrayList<>();
        for (String step : List.of("first", "second")) {
            SpanData stepSpan = only("step " + step);
            assertThat(stepSpan.getParentSpanId()).isEqualTo(run.getSpanId());
            SpanData attempt = named("chat gpt-4o-mini-2024-07-18").stream()
                    .filter(span -> span.getParentSpanId().equals(stepSpan.getSpanId()))
                    .findFirst()
                    .orElseThrow();
            attemptIds.add(attempt.getSpanId());
        }
        // and every model call carried the trace to the provider, as its own attempt's span
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RecordedRequest call = provider.takeRequest(5, TimeUnit.SECONDS);
            sent.add(call.getHeaders().get("traceparent"));
        }
        assertThat(sent)
                .containsExactlyInAnyOrderElementsOf(attemptIds.stream()
                        .map(id -> "00-" + TRACE_ID + "-" + id + "-01")
                        .toList());
        // and the webhook is a span of the same trace, whose context reaches the receiver
        SpanData webhook = only("webhook job.succeeded");
        assertThat(webhook.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(webhook.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(receiver.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("traceparent"))
                .isEqualTo("00-" + TRACE_ID + "-" + webhook.getSpanId() + "-01");
    }

    private List<SpanData> named(String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name))
                .toList();
    }

    private SpanData only(String name) {
        List<SpanData> found = named(name);
        assertThat(found)
                .as(
                        "spans named %s among %s",
                        name,
                        spans.getFinishedSpanItems().stream()
                                .map(SpanData::getName)
                                .toList())
                .hasSize(1);
        return found.getFirst();
    }
}
