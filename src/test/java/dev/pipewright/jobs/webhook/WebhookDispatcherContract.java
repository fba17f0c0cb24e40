package dev.pipewright.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.AllowedTarget;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.ClaimedJob;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobError;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.store.Database;
import dev.pipewright.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deliveries through a real SQLite store to a real receiver on loopback, allow-listed, with a fake clock. */
abstract class WebhookDispatcherContract {
    private static final String SECRET = "whsec_dispatcher_test";
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** The JDBC URL of an empty database for one test, the same on every call within that test. */
    abstract String storageUrl();

    private final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final ObjectMapper json = new ObjectMapper();
    private Database database;
    private JobStore jobs;
    private WebhookDeliveries deliveries;
    private WebhookReceiver receiver;
    private WebhookDispatcher dispatcher;

    @BeforeEach
    void start() {
        database = Database.open(new StorageConfig(storageUrl()));
        jobs = JobStores.open(database, clock);
        deliveries = new WebhookDeliveries(database, clock);
        receiver = new WebhookReceiver();
        PipewrightConfig config =
                ConfigLoader.parse("webhooks: {allow: [\"127.0.0.1\"], secret_env: HOOK_SECRET}\n", "t.yaml");
        WebhookSettings settings =
                WebhookSettings.defaults().withRetries(3, Duration.ofSeconds(10), Duration.ofMinutes(5));
        WebhookTargets targets = new WebhookTargets(List.of(AllowedTarget.parse("127.0.0.1")), HostResolver.system());
        dispatcher = new WebhookDispatcher(
                deliveries,
                jobs,
                new WebhookSender(targets, settings),
                new WebhookSecrets(() -> config, Map.of("HOOK_SECRET", SECRET)::get),
                settings,
                clock,
                RandomGenerator.of("L64X128MixRandom"));
    }

    @AfterEach
    void stop() {
        receiver.close();
        database.close();
    }

    @Test
    void waits_for_the_job_then_sends_one_signed_delivery() throws Exception {
        // given
        Job job = submit(receiver.url("/hooks"));
        WebhookDelivery registered = deliveries.expect("default", job.id(), receiver.url("/hooks"));

        // when the job is still queued, nothing is sent
        dispatcher.deliverDue();
        assertThat(receiver.calls()).isEmpty();

        // and when it has succeeded
        succeed(job);
        clock.advance(Duration.ofSeconds(2));
        dispatcher.deliverDue();

        // then
        assertThat(receiver.calls()).hasSize(1);
        WebhookReceiver.Call call = receiver.calls().getFirst();
        assertThat(call.headers()).containsEntry("Pipewright-Delivery", registered.id());
        assertThat(call.headers()).containsEntry("Pipewright-Event", "job.succeeded");
        assertThat(WebhookSignature.verify(
                        SECRET.getBytes(StandardCharsets.UTF_8),
                        call.headers().get("Pipewright-Signature"),
                        call.body(),
                        clock.instant(),
                        WebhookSignature.DEFAULT_TOLERANCE))
                .isTrue();
        JsonNode body = json.readTree(call.body());
        assertThat(body.get("type").asText()).isEqualTo("job.succeeded");
        assertThat(body.at("/data/job_id").asText()).isEqualTo(job.id());
        assertThat(body.at("/data/result/ok").asBoolean()).isTrue();
        assertThat(deliveries.find(registered.id()).orElseThrow().state()).isEqualTo(WebhookDelivery.State.DELIVERED);
        dispatcher.deliverDue();
        assertThat(receiver.calls()).hasSize(1);
    }

    @Test
    void retries_after_the_receiver_fails_once_with_the_same_delivery_id_and_body() {
        // given
        receiver.failNext(1);
        Job job = submit(receiver.url("/hooks"));
        WebhookDelivery registered = deliveries.expect("default", job.id(), receiver.url("/hooks"));
        succeed(job);

        // when
        dispatcher.deliverDue();
        WebhookDelivery afterFailure = deliveries.find(registered.id()).orElseThrow();
        dispatcher.deliverDue();
        int callsBeforeTheDelay = receiver.calls().size();
        clock.advance(Duration.ofSeconds(10));
        dispatcher.deliverDue();

        // then
        assertThat(afterFailure.state()).isEqualTo(WebhookDelivery.State.PENDING);
        assertThat(afterFailure.lastStatus()).hasValue(503);
        assertThat(afterFailure.lastError())
                .hasValueSatisfying(error -> assertThat(error).contains("503"));
        assertThat(afterFailure.nextAttemptAt()).isAfter(clock.instant().minusSeconds(10));
        assertThat(callsBeforeTheDelay).isEqualTo(1);
        assertThat(receiver.calls()).hasSize(2);
        assertThat(receiver.calls())
                .extracting(call -> call.headers().get("Pipewright-Delivery"))
                .containsOnly(registered.id());
        assertThat(new String(receiver.calls().get(0).body(), StandardCharsets.UTF_8))
                .isEqualTo(new String(receiver.calls().get(1).body(), StandardCharsets.UTF_8));
        WebhookDelivery delivered = deliveries.find(registered.id()).orElseThrow();
        assertThat(delivered.state()).isEqualTo(WebhookDelivery.State.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(2);
    }

    @Test
    void gives_up_into_a_failed_state_after_the_last_attempt() {
        // given
        receiver.failNext(10);
        Job job = submit(receiver.url("/hooks"));
        WebhookDelivery registered = deliveries.expect("default", job.id(), receiver.url("/hooks"));
        deadLetter(job);

        // when
        for (int pass = 0; pass < 5; pass++) {
            dispatcher.deliverDue();
            clock.advance(Duration.ofMinutes(10));
        }

        // then
        WebhookDelivery failed = deliveries.find(registered.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(WebhookDelivery.State.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.event()).contains("job.dead");
        assertThat(receiver.calls()).hasSize(3);
    }

    @Test
    void a_redirect_is_a_failure_and_is_not_followed() {
        // given
        Job job = submit(receiver.url("/moved"));
        WebhookDelivery registered = deliveries.expect("default", job.id(), receiver.url("/moved"));
        succeed(job);

        // when
        dispatcher.deliverDue();

        // then
        WebhookDelivery afterRedirect = deliveries.find(registered.id()).orElseThrow();
        assertThat(afterRedirect.lastStatus()).hasValue(302);
        assertThat(afterRedirect.lastError())
                .hasValueSatisfying(error -> assertThat(error).contains("redirects are not followed"));
    }

    @Test
    void a_delivery_survives_a_restart_of_the_process() {
        // given
        Job job = submit(receiver.url("/hooks"));
        WebhookDelivery registered = deliveries.expect("default", job.id(), receiver.url("/hooks"));
        succeed(job);

        // when the database is opened again, as after a restart
        database.close();
        database = Database.open(new StorageConfig(storageUrl()));
        WebhookDeliveries reopened = new WebhookDeliveries(database, clock);

        // then
        assertThat(reopened.due(10)).extracting(WebhookDelivery::id).containsExactly(registered.id());
        assertThat(reopened.expect("default", job.id(), receiver.url("/hooks")).id())
                .isEqualTo(registered.id());
    }

    @Test
    void delivers_the_webhook_of_a_job_whose_registration_was_lost_after_its_commit() {
        // given: the job committed with its webhook URL, and the process died before registering the delivery
        Job job = submit(receiver.url("/hooks"));
        succeed(job);

        // when
        dispatcher.deliverDue();

        // then
        assertThat(receiver.calls()).hasSize(1);
        assertThat(deliveries.ofJob("default", job.id()))
                .singleElement()
                .extracting(WebhookDelivery::state)
                .isEqualTo(WebhookDelivery.State.DELIVERED);
    }

    private Job submit(String url) {
        return jobs.enqueue(
                        JobSubmission.of("default", "p", json.createObjectNode().put("text", "x"))
                                .withWebhookUrl(url))
                .job();
    }

    private void succeed(Job job) {
        ClaimedJob claimed = jobs.claim("w", LEASE).orElseThrow();
        assertThat(claimed.job().id()).isEqualTo(job.id());
        jobs.complete(claimed.lease(), "{\"ok\": true}");
    }

    private void deadLetter(Job job) {
        ClaimedJob claimed = jobs.claim("w", LEASE).orElseThrow();
        jobs.deadLetter(claimed.lease(), new JobError("invalid_input", "no text", Optional.empty()));
    }
}
