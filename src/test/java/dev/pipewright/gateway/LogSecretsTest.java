package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.config.TelemetryConfig;
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
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.provider.anthropic.AnthropicModelClient;
import dev.pipewright.provider.openai.OpenAiModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.provider.simulated.SimulatorServer;
import dev.pipewright.resilience.CircuitBreakerInterceptor;
import dev.pipewright.resilience.ResilienceChain;
import dev.pipewright.resilience.TimeoutInterceptor;
import dev.pipewright.store.Database;
import dev.pipewright.telemetry.Telemetry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A full request mix — pipelines, the OpenAI- and Anthropic-compatible routes (JSON and streamed), a provider that
 * refuses its key and quotes it back, wrong and malformed requests, an async job with a webhook — through real
 * provider adapters on the simulator's wire, with provider keys, the gateway key and the webhook secret in the
 * environment the process reads, under the production JSON logging configuration with prompts logged
 * ({@code logging.content: true}). Not one log line may hold any of those secrets.
 */
class LogSecretsTest {
    private static final String MASTER_KEY = "pw-master-LEAKCHECKmaster0a1b2c3d";
    private static final String WRONG_KEY = "pw-wrong-LEAKCHECKwrong4e5f6a7b";
    private static final Map<String, String> ENV = Map.of(
            "OPENAI_API_KEY", "sk-proj-LEAKCHECKopenai8c9d0e1f2a3b",
            "ANTHROPIC_API_KEY", "sk-ant-api03-LEAKCHECKanthropic4c5d6e",
            "REFUSED_API_KEY", "sk-proj-LEAKCHECKrefused7f8a9b0c1d",
            "HOOK_SECRET", "whsec_LEAKCHECKhook2e3f4a5b6c");

    @TempDir
    Path folder;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newHttpClient();
    private final MockWebServer refusing = new MockWebServer();
    private final MockWebServer receiver = new MockWebServer();
    private final ScheduledExecutorService watchdog = TimeoutInterceptor.newWatchdog();
    private PrintStream originalErr;
    private SimulatorServer simulator;
    private Telemetry telemetry;
    private Database database;
    private JobStore store;
    private GatewayServer server;
    private WorkerPool workers;
    private WebhookDispatcher webhooks;

    @BeforeEach
    void start() throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        configure("logback.xml", "json");
        Clock clock = Clock.system();
        simulator = SimulatorServer.start(
                "127.0.0.1",
                0,
                SimulationProfiles.fromNames(),
                clock,
                () -> ThreadLocalRandom.current().nextLong());
        refusing.start();
        receiver.start();
        for (int i = 0; i < 3; i++) {
            refusing.enqueue(new MockResponse.Builder()
                    .code(401)
                    .addHeader("Content-Type", "application/json")
                    .body("{\"error\": {\"message\": \"Incorrect API key provided: " + ENV.get("REFUSED_API_KEY")
                            + ".\", \"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}")
                    .build());
        }
        receiver.enqueue(new MockResponse.Builder().code(204).build());
        String sim = "http://127.0.0.1:" + simulator.port();
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  openai: {kind: openai, base_url: "%s/v1", api_key_env: OPENAI_API_KEY}
                  anthropic: {kind: anthropic, base_url: "%s", api_key_env: ANTHROPIC_API_KEY}
                  refused: {kind: openai, base_url: "%s", api_key_env: REFUSED_API_KEY}
                models:
                  gpt: {provider: openai, model: sim-chat+latency=1ms, price: {input_per_mtok: 1, output_per_mtok: 2}}
                  claude: {provider: anthropic, model: sim-claude+latency=1ms}
                  denied: {provider: refused, model: gpt-4o-mini-2024-07-18, retry: {attempts: 1}}
                pipelines:
                  echo:
                    steps:
                      first: {model: gpt, prompt: "One: {{input.text}}"}
                      second: {model: claude, needs: [first], prompt: "Two: {{steps.first.text}}"}
                  refused:
                    steps:
                      only: {model: denied, prompt: "{{input.text}}"}
                webhooks: {allow: ["127.0.0.1"], secret_env: HOOK_SECRET}
                """.formatted(sim, sim, refusing.url("/v1")), "secrets.yaml");
        telemetry = Telemetry.from(new TelemetryConfig(true, true), ENV, clock);
        Map<String, ModelClient> clients = new HashMap<>();
        Function<String, Optional<String>> env = name -> Optional.ofNullable(ENV.get(name));
        for (ProviderConfig provider : config.providers().values()) {
            clients.put(
                    provider.name(),
                    switch (provider.kind()) {
                        case ANTHROPIC -> new AnthropicModelClient(provider, env::apply, clock);
                        default -> new OpenAiModelClient(provider, env::apply, clock);
                    });
        }
        List<ModelInterceptor> chain =
                new ArrayList<>(List.of(telemetry.callMetrics(config::model), telemetry.callLog(config::model)));
        chain.addAll(ResilienceChain.standard(
                config::model, clock, () -> 4L, watchdog, new CircuitBreakerInterceptor(clock)));
        chain.add(telemetry.attemptSpans());
        ModelCall call = new ModelCall(chain, model -> clients.get(model.provider()), config::model, clock);
        PipelineExecutor executor = new PipelineExecutor(call, config::model, clock, telemetry.pipelineObserver());
        database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("jobs.db")));
        store = JobStores.open(database, clock);
        WebhookTargets targets = new WebhookTargets(config.webhooks().allow(), HostResolver.system());
        WebhookSecrets secrets = new WebhookSecrets(() -> config, ENV::get);
        WebhookDeliveries deliveries = new WebhookDeliveries(database, clock);
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor)
                        .withAccess(TestAccess.masterKeyOnly(config, MASTER_KEY, clock))
                        .withModelCall(call)
                        .withTelemetry(telemetry)
                        .withJobs(new JobsApi(store, targets, secrets, deliveries)));
        workers =
                WorkerPool.start(1, store, executor, () -> config, clock, () -> 4L, WorkerSettings.defaults("secrets"));
        WebhookSettings settings = WebhookSettings.defaults();
        webhooks = new WebhookDispatcher(
                deliveries, store, new WebhookSender(targets, settings), secrets, settings, clock, () -> 4L);
    }

    @AfterEach
    void stop() throws JoranException {
        workers.close();
        server.close();
        database.close();
        simulator.close();
        refusing.close();
        receiver.close();
        watchdog.shutdownNow();
        telemetry.close();
        configure("logback-test.xml", "text");
        System.setErr(originalErr);
    }

    @Test
    void no_log_line_of_a_full_request_mix_holds_a_key_or_a_secret() throws Exception {
        // when
        List<Integer> statuses = new ArrayList<>();
        statuses.add(post("/v1/pipelines/echo", "{\"input\": {\"text\": \"hi\"}}", "Authorization", bearer()));
        statuses.add(post(
                "/v1/chat/completions",
                "{\"model\": \"gpt\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "Authorization",
                bearer()));
        statuses.add(post(
                "/v1/chat/completions",
                "{\"model\": \"gpt\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "Authorization",
                bearer()));
        statuses.add(post(
                "/v1/messages",
                "{\"model\": \"claude\", \"max_tokens\": 20, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "x-api-key",
                MASTER_KEY));
        statuses.add(post(
                "/v1/messages",
                "{\"model\": \"claude\", \"max_tokens\": 20, \"stream\": true,"
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "x-api-key",
                MASTER_KEY));
        statuses.add(post(
                "/v1/chat/completions",
                "{\"model\": \"denied\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "Authorization",
                bearer()));
        statuses.add(post("/v1/pipelines/refused", "{\"input\": {\"text\": \"hi\"}}", "Authorization", bearer()));
        statuses.add(
                post("/v1/pipelines/echo", "{\"input\": {\"text\": \"hi\"}}", "Authorization", "Bearer " + WRONG_KEY));
        statuses.add(post("/v1/chat/completions", "{\"model\": \"gpt\", \"messages\": [", "x-api-key", WRONG_KEY));
        statuses.add(post("/v1/pipelines/echo", "{\"input\": ", "Authorization", bearer()));
        HttpResponse<String> submitted = send(
                "/v1/jobs",
                "{\"pipeline\": \"echo\", \"input\": {\"text\": \"hi\"}, \"webhook_url\": \"" + receiver.url("/hook")
                        + "\"}",
                "Authorization",
                bearer());
        String jobId =
                new ObjectMapper().readTree(submitted.body()).get("job_id").asText();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.find("default", jobId).orElseThrow().status() == JobStatus.SUCCEEDED);
        await().atMost(Duration.ofSeconds(20)).until(() -> webhooks.deliverDue() > 0 || receiver.getRequestCount() > 0);
        String log = captured.toString(StandardCharsets.UTF_8);

        // then: the mix ran, answered and failed as meant, and logged about it
        assertThat(submitted.statusCode()).isEqualTo(202);
        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 502, 502, 401, 401, 400);
        assertThat(receiver.getRequestCount()).isEqualTo(1);
        assertThat(log).contains("\"logger_name\":\"pipewright.access\"", "cost_usd", "\"prompt\"", "auth_failed");
        // and no line holds any secret, whole or in part
        List<String> lines = log.lines().toList();
        List<String> secrets = new ArrayList<>(ENV.values());
        secrets.addAll(List.of(MASTER_KEY, WRONG_KEY, "LEAKCHECK"));
        for (String secret : secrets) {
            assertThat(lines).as("log lines holding %s", secret).noneMatch(line -> line.contains(secret));
        }
    }

    private static String bearer() {
        return "Bearer " + MASTER_KEY;
    }

    private int post(String path, String body, String header, String value) throws Exception {
        return send(path, body, header, value).statusCode();
    }

    private HttpResponse<String> send(String path, String body, String header, String value) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Content-Type", "application/json")
                        .header(header, value)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void configure(String resource, String format) throws JoranException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        URL configuration = LogSecretsTest.class.getClassLoader().getResource(resource);
        context.reset();
        context.putProperty("PIPEWRIGHT_LOG_FORMAT", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(configuration);
    }
}
