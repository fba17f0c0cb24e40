package dev.pipewright.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.QueueConfig;
import dev.pipewright.pipeline.StepOutput;
import dev.pipewright.store.Database;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one contract every {@link JobStore} passes; a subclass per implementation supplies its database. */
abstract class JobStoreContract {
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeClock clock = new FakeClock();
    Database database;
    JobStore store;

    /** A database with no jobs in it, for one test. */
    abstract Database emptyDatabase();

    /** Called after each test with the database {@link #emptyDatabase()} gave. */
    abstract void doneWith(Database database);

    @BeforeEach
    void openStore() {
        database = emptyDatabase();
        store = JobStores.open(database, clock);
    }

    @AfterEach
    void closeStore() {
        doneWith(database);
    }

    static JsonNode input(String text) {
        return JSON.createObjectNode().put("text", text);
    }

    Job enqueue(String tenant, String text) {
        return store.enqueue(JobSubmission.of(tenant, "analyze", input(text))).job();
    }

    ClaimedJob claim(String worker) {
        return store.claim(worker, LEASE).orElseThrow(() -> new AssertionError("no job was claimable"));
    }

    @Test
    void an_enqueued_job_is_queued_due_now_and_readable_by_its_tenant_only() {
        // when
        Enqueued enqueued = store.enqueue(
                JobSubmission.of("acme", "analyze", input("hello")).withWebhookUrl("https://example.com/hook"));

        // then
        Job job = enqueued.job();
        assertThat(enqueued.created()).isTrue();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.runAt()).isEqualTo(clock.instant());
        assertThat(job.attempts()).isZero();
        assertThat(store.find("acme", job.id())).contains(job);
        assertThat(store.find("acme", job.id())
                        .orElseThrow()
                        .input()
                        .path("text")
                        .asText())
                .isEqualTo("hello");
        assertThat(job.webhookUrl()).contains("https://example.com/hook");
        assertThat(store.find("globex", job.id())).isEmpty();
        assertThat(store.cancel("globex", job.id())).isEmpty();
        assertThat(store.attempts("globex", job.id())).isEmpty();
    }

    @Test
    void a_job_keeps_the_allocation_tags_it_was_submitted_with_through_its_claim() {
        // given
        Map<String, String> tags = Map.of("team", "search", "cost-center", "eu/42");
        Job submitted = store.enqueue(
                        JobSubmission.of("acme", "analyze", input("hello")).withTags(tags))
                .job();
        Job untagged = enqueue("acme", "plain");

        // when
        ClaimedJob claimed = claim("w1");

        // then
        assertThat(submitted.tags()).isEqualTo(tags);
        assertThat(claimed.job().tags()).isEqualTo(tags);
        assertThat(store.find("acme", submitted.id()).orElseThrow().tags()).isEqualTo(tags);
        assertThat(store.find("acme", untagged.id()).orElseThrow().tags()).isEmpty();
    }

    @Test
    void the_same_idempotency_key_returns_the_same_job_within_a_tenant() {
        // given
        JobSubmission submission =
                JobSubmission.of("acme", "analyze", input("a")).withIdempotencyKey("order-7");
        Job first = store.enqueue(submission).job();

        // when
        Enqueued again = store.enqueue(submission);
        Enqueued otherTenant =
                store.enqueue(JobSubmission.of("globex", "analyze", input("a")).withIdempotencyKey("order-7"));

        // then
        assertThat(again.created()).isFalse();
        assertThat(again.job().id()).isEqualTo(first.id());
        assertThat(otherTenant.created()).isTrue();
        assertThat(otherTenant.job().id()).isNotEqualTo(first.id());
        assertThat(store.list(JobQuery.of("acme", 10)).items()).hasSize(1);
    }

    @Test
    void a_claim_takes_the_longest_waiting_due_job_under_a_lease_with_a_fencing_token() {
        // given
        Job older = enqueue("acme", "first");
        clock.advance(Duration.ofMillis(5));
        enqueue("acme", "second");

        // when
        ClaimedJob claimed = claim("w1");

        // then
        assertThat(claimed.job().id()).isEqualTo(older.id());
        assertThat(claimed.job().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(claimed.job().attempts()).isEqualTo(1);
        assertThat(claimed.lease().token()).isEqualTo(1);
        assertThat(claimed.lease().expiresAt()).isEqualTo(clock.instant().plus(LEASE));
        assertThat(store.attempts("acme", older.id())).singleElement().satisfies(attempt -> {
            assertThat(attempt.workerId()).isEqualTo("w1");
            assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RUNNING);
        });
    }

    @Test
    void a_job_under_a_live_lease_or_scheduled_for_later_is_not_claimed() {
        // given
        enqueue("acme", "one");
        enqueue("acme", "two");
        claim("w1");
        ClaimedJob second = claim("w1");
        store.scheduleRetry(
                second.lease(),
                new JobError("timeout", "slow", Optional.empty()),
                clock.instant().plusSeconds(60));

        // when
        clock.advance(LEASE.minusSeconds(1));
        Optional<ClaimedJob> claimed = store.claim("w2", LEASE);

        // then
        assertThat(claimed).isEmpty();
    }

    @Test
    void an_expired_lease_lets_another_worker_take_the_job_over_with_a_higher_token() {
        // given
        Job job = enqueue("acme", "one");
        ClaimedJob first = claim("w1");

        // when
        clock.advance(LEASE);
        ClaimedJob takeover = claim("w2");

        // then
        assertThat(takeover.job().id()).isEqualTo(job.id());
        assertThat(takeover.lease().token()).isGreaterThan(first.lease().token());
        assertThat(store.attempts("acme", job.id()))
                .extracting(AttemptRecord::workerId, AttemptRecord::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("w1", AttemptOutcome.LEASE_EXPIRED),
                        org.assertj.core.groups.Tuple.tuple("w2", AttemptOutcome.RUNNING));
    }

    @Test
    void a_job_whose_lease_expired_on_its_last_attempt_is_dead_lettered_instead_of_run_again() {
        // given
        Job job = store.enqueue(
                        JobSubmission.of("acme", "analyze", input("poison")).withMaxAttempts(1))
                .job();
        claim("w1");
        clock.advance(LEASE);
        Job next = enqueue("acme", "healthy");

        // when
        ClaimedJob claimed = claim("w2");

        // then
        assertThat(claimed.job().id()).isEqualTo(next.id());
        Job dead = store.find("acme", job.id()).orElseThrow();
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.lastError().orElseThrow().kind()).isEqualTo("lease_expired");
        assertThat(store.attempts("acme", job.id()))
                .extracting(AttemptRecord::outcome)
                .containsExactly(AttemptOutcome.LEASE_EXPIRED);
    }

    @Test
    void a_heartbeat_extends_the_lease_only_while_the_token_holds() {
        // given
        enqueue("acme", "one");
        ClaimedJob first = claim("w1");

        // when
        clock.advance(Duration.ofSeconds(20));
        Lease renewed = store.heartbeat(first.lease(), LEASE);
        clock.advance(Duration.ofSeconds(20));

        // then
        assertThat(renewed.expiresAt())
                .isEqualTo(clock.instant().minusSeconds(20).plus(LEASE));
        assertThat(store.claim("w2", LEASE)).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        ClaimedJob takeover = claim("w2");
        assertThatThrownBy(() -> store.heartbeat(first.lease(), LEASE)).isInstanceOf(LeaseLostException.class);
        assertThat(store.heartbeat(takeover.lease(), LEASE).token())
                .isEqualTo(takeover.lease().token());
    }

    @Test
    void a_worker_that_lost_its_lease_can_neither_journal_nor_end_the_job() {
        // given
        Job job = enqueue("acme", "one");
        ClaimedJob stale = claim("w1");
        clock.advance(LEASE);
        ClaimedJob current = claim("w2");
        store.recordStep(current.lease(), "classify", new StepOutput.Text("technical"));
        store.complete(current.lease(), "{\"winner\":\"w2\"}");

        // when / then
        assertThatThrownBy(() -> store.recordStep(stale.lease(), "classify", new StepOutput.Text("stale")))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining(job.id());
        assertThatThrownBy(() -> store.complete(stale.lease(), "{\"winner\":\"w1\"}"))
                .isInstanceOf(LeaseLostException.class);
        JobError error = new JobError("timeout", "late", Optional.empty());
        assertThatThrownBy(() -> store.scheduleRetry(stale.lease(), error, clock.instant()))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> store.deadLetter(stale.lease(), error)).isInstanceOf(LeaseLostException.class);
        Job stored = store.find("acme", job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stored.result().orElseThrow().path("winner").asText()).isEqualTo("w2");
        assertThat(store.journal(job.id())).containsExactly(Map.entry("classify", new StepOutput.Text("technical")));
    }

    @Test
    void the_journal_keeps_text_and_vectors_exactly_and_the_first_output_of_a_step() {
        // given
        Job job = enqueue("acme", "one");
        Lease lease = claim("w1").lease();
        StepOutput vectors = new StepOutput.Vectors(
                List.of(new float[] {0.1f, -2.5f, Float.MIN_VALUE}, new float[] {3.25f, 0f, 1e-7f}));

        // when
        store.recordStep(lease, "classify", new StepOutput.Text("technical ✓"));
        clock.advance(Duration.ofMillis(1));
        store.recordStep(lease, "embedding", vectors);
        store.recordStep(lease, "classify", new StepOutput.Text("again"));

        // then
        assertThat(store.journal(job.id()))
                .containsExactly(
                        Map.entry("classify", new StepOutput.Text("technical ✓")), Map.entry("embedding", vectors));
        assertThat(store.steps("acme", job.id()))
                .extracting(StepRecord::step, StepRecord::token)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("classify", 1L),
                        org.assertj.core.groups.Tuple.tuple("embedding", 1L));
        assertThat(store.steps("globex", job.id())).isEmpty();
    }

    @Test
    void a_retry_waits_in_the_store_until_its_run_at_and_counts_as_a_retry() {
        // given
        Job job = enqueue("acme", "one");
        Lease lease = claim("w1").lease();
        Instant runAt = clock.instant().plusSeconds(8);

        // when
        Job retried = store.scheduleRetry(lease, new JobError("unavailable", "503", Optional.of("classify")), runAt);

        // then
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.runAt()).isEqualTo(runAt);
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(retried.lastError()).contains(new JobError("unavailable", "503", Optional.of("classify")));
        assertThat(store.stats().retries()).isEqualTo(1);
        assertThat(store.stats().scheduled()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(7));
        assertThat(store.claim("w1", LEASE)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        ClaimedJob again = claim("w1");
        assertThat(again.job().id()).isEqualTo(job.id());
        assertThat(again.job().attempts()).isEqualTo(2);
    }

    @Test
    void a_snooze_or_a_release_gives_the_attempt_back() {
        // given
        Job job = enqueue("acme", "one");
        Lease lease = claim("w1").lease();

        // when
        Job snoozed = store.snooze(
                lease,
                new JobError("rate_limited", "429", Optional.of("classify")),
                clock.instant().plusSeconds(120));
        clock.advance(Duration.ofSeconds(120));
        Job released = store.release(claim("w1").lease());

        // then
        assertThat(snoozed.attempts()).isZero();
        assertThat(snoozed.runAt()).isEqualTo(clock.instant());
        assertThat(released.attempts()).isZero();
        assertThat(released.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.attempts("acme", job.id()))
                .extracting(AttemptRecord::outcome)
                .containsExactly(AttemptOutcome.SNOOZED, AttemptOutcome.RELEASED);
        assertThat(store.stats().retries()).isZero();
    }

    @Test
    void a_dead_letter_keeps_the_last_error_and_the_history_and_a_replay_keeps_the_journal() {
        // given
        Job job = enqueue("acme", "one");
        Lease first = claim("w1").lease();
        store.recordStep(first, "classify", new StepOutput.Text("technical"));
        store.scheduleRetry(first, new JobError("timeout", "slow", Optional.of("analysis")), clock.instant());
        Lease second = claim("w1").lease();
        JobError last = new JobError("content_filtered", "refused", Optional.of("analysis"));

        // when
        store.deadLetter(second, last);

        // then
        Page<DlqEntry> dlq = store.deadLetters("acme", Optional.empty(), 10);
        assertThat(dlq.items()).singleElement().satisfies(entry -> {
            assertThat(entry.job().lastError()).contains(last);
            assertThat(entry.attempts())
                    .extracting(AttemptRecord::outcome)
                    .containsExactly(AttemptOutcome.RETRY_SCHEDULED, AttemptOutcome.DEAD_LETTERED);
            assertThat(entry.attempts().get(1).error()).contains(last);
        });
        assertThat(store.deadLetters("globex", Optional.empty(), 10).items()).isEmpty();
        assertThat(store.stats().deadLettered()).isEqualTo(1);
        assertThatThrownBy(() -> store.replay("acme", enqueue("acme", "two").id()))
                .isInstanceOf(IllegalStateException.class);

        Job replayed = store.replay("acme", job.id()).orElseThrow();
        assertThat(replayed.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(replayed.attempts()).isZero();
        assertThat(store.journal(job.id())).containsOnlyKeys("classify");
        assertThat(store.replay("globex", job.id())).isEmpty();
    }

    @Test
    void cancelling_a_running_job_stops_its_worker_from_writing() {
        // given
        Job job = enqueue("acme", "one");
        Lease lease = claim("w1").lease();

        // when
        Job cancelled = store.cancel("acme", job.id()).orElseThrow();

        // then
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThatThrownBy(() -> store.recordStep(lease, "classify", new StepOutput.Text("x")))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> store.complete(lease, "{}")).isInstanceOf(LeaseLostException.class);
        assertThat(store.cancel("acme", job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store.attempts("acme", job.id()))
                .extracting(AttemptRecord::outcome)
                .containsExactly(AttemptOutcome.CANCELLED);
        clock.advance(LEASE);
        assertThat(store.claim("w2", LEASE)).isEmpty();
    }

    @Test
    void listings_are_newest_first_filtered_and_paged_by_cursor() {
        // given
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(enqueue("acme", "job " + i).id());
        }
        store.enqueue(JobSubmission.of("acme", "summarize", input("other")));
        enqueue("globex", "not mine");

        // when
        JobQuery analyze = new JobQuery("acme", Optional.empty(), Optional.of("analyze"), Optional.empty(), 2);
        Page<Job> first = store.list(analyze);
        Page<Job> second =
                store.list(new JobQuery("acme", Optional.empty(), Optional.of("analyze"), first.nextCursor(), 2));
        Page<Job> third =
                store.list(new JobQuery("acme", Optional.empty(), Optional.of("analyze"), second.nextCursor(), 2));

        // then
        assertThat(first.items()).extracting(Job::id).containsExactly(ids.get(4), ids.get(3));
        assertThat(second.items()).extracting(Job::id).containsExactly(ids.get(2), ids.get(1));
        assertThat(third.items()).extracting(Job::id).containsExactly(ids.get(0));
        assertThat(third.nextCursor()).isEmpty();
        assertThat(store.list(new JobQuery(
                                "acme", Optional.of(JobStatus.RUNNING), Optional.empty(), Optional.empty(), 10))
                        .items())
                .isEmpty();
        assertThatThrownBy(() ->
                        store.list(new JobQuery("acme", Optional.empty(), Optional.empty(), Optional.of("nope"), 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void the_gauges_count_due_scheduled_running_and_the_oldest_wait() {
        // given
        enqueue("acme", "running");
        claim("w1");
        clock.advance(Duration.ofSeconds(1));
        enqueue("acme", "waiting");
        clock.advance(Duration.ofSeconds(4));
        enqueue("acme", "fresh");

        // when
        QueueStats stats = store.stats();

        // then
        assertThat(stats).isEqualTo(new QueueStats(2, 0, 1, Duration.ofSeconds(4), 0, 0));
    }

    @Test
    void an_enqueue_wakes_the_listeners_after_it_commits() {
        // given
        AtomicInteger woken = new AtomicInteger();
        store.whenEnqueued(woken::incrementAndGet);
        JobSubmission submission =
                JobSubmission.of("acme", "analyze", input("a")).withIdempotencyKey("k");

        // when
        store.enqueue(submission);
        store.enqueue(submission);

        // then
        assertThat(woken).hasValue(1);
    }

    @Test
    void concurrent_claims_take_each_job_exactly_once() throws Exception {
        // given
        int jobs = 40;
        for (int i = 0; i < jobs; i++) {
            enqueue("acme", "job " + i);
        }
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);

        // when
        try (ExecutorService workers = Executors.newFixedThreadPool(6)) {
            for (int w = 0; w < 6; w++) {
                String worker = "w" + w;
                workers.execute(() -> {
                    awaitQuietly(start);
                    Optional<ClaimedJob> next;
                    while ((next = store.claim(worker, LEASE)).isPresent()) {
                        if (!claimed.add(next.get().job().id())) {
                            duplicates.incrementAndGet();
                        }
                    }
                });
            }
            start.countDown();
        }

        // then
        assertThat(claimed).hasSize(jobs);
        assertThat(duplicates).hasValue(0);
    }

    @Test
    void an_interactive_job_is_claimed_before_batch_jobs_that_waited_longer() {
        // given
        store.enqueue(JobSubmission.of("acme", "analyze", input("nightly 1")).withPriority(JobPriority.BATCH));
        store.enqueue(JobSubmission.of("acme", "analyze", input("nightly 2")).withPriority(JobPriority.BATCH));
        clock.advance(Duration.ofSeconds(1));
        Job interactive = enqueue("globex", "a user waits");

        // when
        ClaimedJob first = claim("worker-1");

        // then
        assertThat(first.job().id()).isEqualTo(interactive.id());
    }

    @Test
    void a_tenant_with_a_long_queue_does_not_delay_another_tenant_beyond_its_fair_turn() {
        // given: tenant A queued 50 jobs before tenant B's one
        for (int i = 0; i < 50; i++) {
            enqueue("tenant-a", "a" + i);
        }
        clock.advance(Duration.ofSeconds(1));
        Job fromB = enqueue("tenant-b", "b");
        ClaimedJob firstOfA = claim("worker-1");

        // when
        ClaimedJob next = claim("worker-2");

        // then: A has one job running and B none, so B goes next
        assertThat(firstOfA.job().tenant()).isEqualTo("tenant-a");
        assertThat(next.job().id()).isEqualTo(fromB.id());
    }

    @Test
    void shares_weigh_the_turns_between_tenants_with_work_waiting() {
        // given
        QueueConfig queues = new QueueConfig(
                OptionalInt.empty(), Map.of("big", new QueueConfig.TenantQueue(OptionalInt.empty(), 3)));
        for (int i = 0; i < 10; i++) {
            enqueue("big", "big" + i);
            enqueue("small", "small" + i);
        }

        // when
        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tenants.add(store.claim("worker-" + i, LEASE, queues)
                    .orElseThrow()
                    .job()
                    .tenant());
        }

        // then
        assertThat(tenants.stream().filter("big"::equals).count()).isEqualTo(6);
        assertThat(tenants.stream().filter("small"::equals).count()).isEqualTo(2);
    }

    @Test
    void a_tenant_at_its_cap_of_running_jobs_is_passed_over_until_one_ends() {
        // given
        QueueConfig queues = new QueueConfig(
                OptionalInt.of(10), Map.of("capped", new QueueConfig.TenantQueue(OptionalInt.of(2), 1)));
        for (int i = 0; i < 5; i++) {
            enqueue("capped", "c" + i);
        }
        ClaimedJob one = store.claim("worker-1", LEASE, queues).orElseThrow();
        store.claim("worker-2", LEASE, queues).orElseThrow();

        // when
        Optional<ClaimedJob> third = store.claim("worker-3", LEASE, queues);
        store.complete(one.lease(), "{}");
        Optional<ClaimedJob> afterOneEnded = store.claim("worker-3", LEASE, queues);

        // then
        assertThat(third).isEmpty();
        assertThat(afterOneEnded).isPresent();
    }

    @Test
    void concurrent_claims_keep_a_tenant_within_its_cap() throws Exception {
        // given
        QueueConfig queues = new QueueConfig(OptionalInt.of(3), Map.of());
        for (int i = 0; i < 20; i++) {
            enqueue("capped", "c" + i);
        }
        ExecutorService claimers = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger claimed = new AtomicInteger();

        // when
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String worker = "worker-" + i;
            done.add(claimers.submit(() -> {
                awaitQuietly(start);
                store.claim(worker, LEASE, queues).ifPresent(job -> claimed.incrementAndGet());
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> future : done) {
            future.get();
        }
        claimers.shutdown();

        // then
        assertThat(claimed.get()).isEqualTo(3);
        assertThat(store.stats().inFlight()).isEqualTo(3);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
