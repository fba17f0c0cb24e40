package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.ClaimedJob;
import dev.pipewright.jobs.JobError;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.jobs.webhook.HostResolver;
import dev.pipewright.jobs.webhook.WebhookDeliveries;
import dev.pipewright.jobs.webhook.WebhookSecrets;
import dev.pipewright.jobs.webhook.WebhookTargets;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.StepOutput;
import dev.pipewright.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The job API on a real server (port 0) over a real SQLite job store in a temporary folder. */
class JobRoutesTest {
    /** The master key, acting as tenant {@code default}. */
    private static final String KEY = "test-key";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private Database database;
    private JobStore store;
    private GatewayServer server;

    @BeforeEach
    void start() {
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat}
                pipelines:
                  echo:
                    steps:
                      first: {model: chat, prompt: "One: {{input.text}}"}
                      second: {model: chat, needs: [first], prompt: "Two: {{steps.first.text}}"}
                webhooks: {allow: ["127.0.0.1"], secret_env: HOOK_SECRET}
                """, "test.yaml");
        database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("jobs.db")));
        store = JobStores.open(database, Clock.system());
        JobsApi jobs = new JobsApi(
                store,
                new WebhookTargets(config.webhooks().allow(), HostResolver.system()),
                new WebhookSecrets(() -> config, Map.of("HOOK_SECRET", "whsec_x")::get),
                new WebhookDeliveries(database, Clock.system()));
        ModelCall call = new ModelCall(List.of(), model -> null, config::model, Clock.system());
        AccessFilter access = TestAccess.masterKeyOnly(config, KEY, Clock.system());
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, new PipelineExecutor(call, config::model, Clock.system()))
                        .withAccess(access)
                        .withJobs(jobs));
    }

    @AfterEach
    void stop() {
        server.close();
        database.close();
    }

    @Test
    void a_submission_is_answered_202_once_the_job_is_in_the_store() throws Exception {
        // when
        HttpResponse<String> response =
                send("POST", "/v1/jobs", "{\"pipeline\": \"echo\", \"input\": {\"text\": \"hi\"}}");

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        String id = body.get("job_id").asText();
        assertThat(body.get("status_url").asText()).isEqualTo("/v1/jobs/" + id);
        assertThat(response.headers().firstValue("Location")).contains("/v1/jobs/" + id);
        assertThat(store.find("default", id)).hasValueSatisfying(job -> {
            assertThat(job.pipeline()).isEqualTo("echo");
            assertThat(job.input().get("text").asText()).isEqualTo("hi");
        });
    }

    @Test
    void the_same_idempotency_key_answers_with_the_same_job() throws Exception {
        // given
        String body = "{\"pipeline\": \"echo\", \"input\": {\"text\": \"hi\"}, \"idempotency_key\": \"order-42\"}";

        // when
        HttpResponse<String> first = send("POST", "/v1/jobs", body);
        HttpResponse<String> second = send(
                "POST",
                "/v1/jobs",
                "{\"pipeline\": \"echo\", \"input\": {\"text\": \"hi\"}}",
                "Idempotency-Key",
                "order-42");

        // then
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(JSON.readTree(second.body()).get("job_id"))
                .isEqualTo(JSON.readTree(first.body()).get("job_id"));
        assertThat(JSON.readTree(send("GET", "/v1/jobs", null).body()).get("data"))
                .hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"input": {}}                                                          | pipeline: required
            {"pipeline": 3, "input": {}}                                           | pipeline: expected a string, but was number
            {"pipeline": "echo"}                                                   | input: expected a JSON object
            {"pipeline": "echo", "input": [1]}                                     | input: expected a JSON object
            {"pipeline": "echo", "input": {}, "colour": 1}                         | unknown field 'colour'
            {"pipeline": "echo", "input": {}, "priority": "urgent"}                | priority: 'urgent' is not a priority; use interactive or batch
            {"pipeline": "echo", "input": {}, "webhook_url": "http://10.1.2.3/h"}  | webhook_url host '10.1.2.3' resolves to 10.1.2.3, a private address (10.0.0.0/8)
            {"pipeline": "echo", "input": {}, "webhook_url": "ftp://x.example/h"}  | webhook_url must be an absolute http or https URL
            {"pipeline": "echo", "input": {}, "idempotency_key": ""}               | idempotency_key: must have 1 to 255 characters, but had 0
            {"pipeline": "echo", "input": {}                                       | the request body is not valid JSON
            """)
    void a_bad_submission_is_a_400_naming_the_field(String body, String detail) throws Exception {
        // when
        HttpResponse<String> response = send("POST", "/v1/jobs", body);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains(detail);
        assertThat(JSON.readTree(send("GET", "/v1/jobs", null).body()).get("data"))
                .isEmpty();
    }

    @Test
    void an_unknown_pipeline_is_a_404() throws Exception {
        // when
        HttpResponse<String> response = send("POST", "/v1/jobs", "{\"pipeline\": \"nope\", \"input\": {}}");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("detail").asText())
                .contains("no pipeline named 'nope'; known: echo");
    }

    @Test
    void a_job_shows_its_steps_from_the_journal_its_attempts_and_its_result() throws Exception {
        // given
        String id = submit();
        ClaimedJob claimed = store.claim("worker-1", LEASE).orElseThrow();
        store.recordStep(claimed.lease(), "first", new StepOutput.Text("one"));

        // when running
        JsonNode running = JSON.readTree(send("GET", "/v1/jobs/" + id, null).body());
        store.recordStep(claimed.lease(), "second", new StepOutput.Text("two"));
        store.complete(claimed.lease(), "{\"results\": {\"second\": \"two\"}}");
        JsonNode done = JSON.readTree(send("GET", "/v1/jobs/" + id, null).body());

        // then
        assertThat(running.get("status").asText()).isEqualTo("running");
        assertThat(running.at("/progress/done").asInt()).isEqualTo(1);
        assertThat(running.at("/progress/total").asInt()).isEqualTo(2);
        assertThat(running.at("/steps/0/status").asText()).isEqualTo("done");
        assertThat(running.at("/steps/1/status").asText()).isEqualTo("pending");
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(done.at("/result/results/second").asText()).isEqualTo("two");
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
        assertThat(done.at("/attempt_history/0/worker").asText()).isEqualTo("worker-1");
        assertThat(done.at("/attempt_history/0/outcome").asText()).isEqualTo("succeeded");
    }

    @Test
    void another_tenants_job_is_not_found() throws Exception {
        // given
        String theirs = store.enqueue(JobSubmission.of("acme", "echo", JSON.createObjectNode()))
                .job()
                .id();

        // then
        assertThat(send("GET", "/v1/jobs/" + theirs, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/v1/jobs/" + theirs, null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/v1/dlq/" + theirs + "/replay", null).statusCode())
                .isEqualTo(404);
        assertThat(JSON.readTree(send("GET", "/v1/jobs", null).body()).get("data"))
                .isEmpty();
        assertThat(store.find("acme", theirs).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void lists_page_by_page_and_by_status() throws Exception {
        // given
        String older = submit();
        String newer = submit();
        store.cancel("default", older);

        // when
        JsonNode first = JSON.readTree(send("GET", "/v1/jobs?limit=1", null).body());
        JsonNode second = JSON.readTree(send(
                        "GET",
                        "/v1/jobs?limit=1&cursor=" + first.get("next_cursor").asText(),
                        null)
                .body());
        JsonNode cancelled = JSON.readTree(
                send("GET", "/v1/jobs?status=cancelled&pipeline=echo", null).body());

        // then
        assertThat(first.at("/data/0/job_id").asText()).isEqualTo(newer);
        assertThat(second.at("/data/0/job_id").asText()).isEqualTo(older);
        assertThat(cancelled.get("data")).hasSize(1);
        assertThat(cancelled.at("/data/0/job_id").asText()).isEqualTo(older);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /v1/jobs?status=done    | status: unknown job status 'done'
            /v1/jobs?limit=0        | limit: must be a whole number from 1 to 500, but was '0'
            /v1/jobs?limit=many     | limit: must be a whole number from 1 to 500, but was 'many'
            /v1/jobs?cursor=zzz     | cursor: not a cursor of this listing
            /v1/dlq?limit=501       | limit: must be a whole number from 1 to 500, but was '501'
            """)
    void a_bad_listing_parameter_is_a_400_naming_it(String path, String detail) throws Exception {
        // when
        HttpResponse<String> response = send("GET", path, null);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains(detail);
    }

    @Test
    void cancels_a_waiting_job_and_refuses_to_cancel_a_finished_one() throws Exception {
        // given
        String waiting = submit();
        HttpResponse<String> cancelled = send("DELETE", "/v1/jobs/" + waiting, null);
        String finished = submit();
        ClaimedJob claimed = store.claim("w", LEASE).orElseThrow();
        store.complete(claimed.lease(), "{}");

        // when
        HttpResponse<String> refused = send("DELETE", "/v1/jobs/" + finished, null);

        // then
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).get("status").asText()).isEqualTo("cancelled");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("succeeded");
    }

    @Test
    void lists_dead_letters_and_replays_one_once() throws Exception {
        // given
        String id = submit();
        ClaimedJob claimed = store.claim("w", LEASE).orElseThrow();
        store.deadLetter(claimed.lease(), new JobError("invalid_input", "text is missing", Optional.of("first")));

        // when
        JsonNode dlq = JSON.readTree(send("GET", "/v1/dlq", null).body());
        HttpResponse<String> replayed = send("POST", "/v1/dlq/" + id + "/replay", null);
        HttpResponse<String> again = send("POST", "/v1/dlq/" + id + "/replay", null);

        // then
        assertThat(dlq.at("/data/0/job_id").asText()).isEqualTo(id);
        assertThat(dlq.at("/data/0/error/message").asText()).isEqualTo("text is missing");
        assertThat(dlq.at("/data/0/attempt_history")).hasSize(1);
        assertThat(replayed.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(replayed.body()).get("status").asText()).isEqualTo("queued");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(send("GET", "/v1/dlq/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void a_webhook_url_is_checked_and_its_delivery_registered_with_the_job() throws Exception {
        // when
        HttpResponse<String> response = send(
                "POST",
                "/v1/jobs",
                "{\"pipeline\": \"echo\", \"input\": {}, \"webhook_url\": \"http://127.0.0.1:9/hooks\"}");
        String id = JSON.readTree(response.body()).get("job_id").asText();
        JsonNode job = JSON.readTree(send("GET", "/v1/jobs/" + id, null).body());

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(job.at("/webhooks/0/state").asText()).isEqualTo("waiting");
        assertThat(job.toString()).doesNotContain("127.0.0.1:9");
    }

    private String submit() throws Exception {
        HttpResponse<String> response =
                send("POST", "/v1/jobs", "{\"pipeline\": \"echo\", \"input\": {\"text\": \"x\"}}");
        assertThat(response.statusCode()).isEqualTo(202);
        return JSON.readTree(response.body()).get("job_id").asText();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + KEY)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
