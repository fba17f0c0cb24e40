package dev.pipewright.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;
import dev.pipewright.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability guarantees with real worker processes that are killed, paused and restarted; the test process
 * only enqueues and reads the store. Model calls are counted per idempotency key in a shared call log.
 */
abstract class WorkerCrashContract {
    static final Duration LEASE = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String LONG = "60000";

    /** Waits on the store, riding out a connection broken by a database restart (the server is shared). */
    static ConditionFactory waiting() {
        return await().atMost(WAIT).ignoreExceptionsInstanceOf(StoreException.class);
    }

    @TempDir
    Path folder;

    Database database;
    JobStore store;
    CallLog calls;
    ChildProcesses children;

    /** The URL of a database with no jobs, which the worker processes open too. */
    abstract String emptyDatabaseUrl();

    @BeforeEach
    void openStore() {
        String url = emptyDatabaseUrl();
        database = TestDatabases.open(url);
        store = JobStores.open(database, Clock.system());
        calls = new CallLog(folder.resolve("calls.log"));
        children = new ChildProcesses(folder);
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        children.close();
        database.close();
    }

    Process worker(String id, String... options) {
        return worker(id, LEASE, options);
    }

    Process worker(String id, Duration lease, String... options) {
        List<String> args =
                new ArrayList<>(List.of(url(), calls.file().toString(), id, Long.toString(lease.toMillis())));
        args.addAll(List.of(options));
        Process process = children.start(id, WorkerProcess.class, args);
        waiting().until(() -> children.output(id).contains("ready") || !process.isAlive());
        assertThat(process.isAlive()).as(children.output(id)).isTrue();
        return process;
    }

    abstract String url();

    Job enqueue(String pipeline) {
        return store.enqueue(JobSubmission.of(
                        "acme", pipeline, new ObjectMapper().createObjectNode().put("text", "t")))
                .job();
    }

    Job current(Job job) {
        return store.find("acme", job.id()).orElseThrow();
    }

    Job awaitSucceeded(Job job) {
        waiting().until(() -> current(job).status() == JobStatus.SUCCEEDED);
        return current(job);
    }

    @Test
    void a_worker_killed_mid_step_and_restarted_runs_only_the_interrupted_step_again() throws Exception {
        // given
        Process first = worker("w1", "slow:" + TestPipelines.SECOND + ":" + LONG);
        Job job = enqueue("chain");
        waiting().until(() -> calls.count(job.id(), "two") == 1);

        // when
        ChildProcesses.kill9(first);
        worker("w1-restarted");
        awaitSucceeded(job);

        // then
        assertThat(calls.count(job.id(), "one")).isEqualTo(1);
        assertThat(calls.count(job.id(), "two")).isEqualTo(2);
        assertThat(calls.count(job.id(), "three")).isEqualTo(1);
        assertThat(store.attempts("acme", job.id()))
                .extracting(AttemptRecord::outcome)
                .containsExactly(AttemptOutcome.LEASE_EXPIRED, AttemptOutcome.SUCCEEDED);
    }

    @Test
    void a_running_worker_takes_over_a_dead_workers_job_within_lease_and_poll() throws Exception {
        // given
        Process first = worker("w1", "slow:" + TestPipelines.SECOND + ":" + LONG);
        Job job = enqueue("chain");
        waiting().until(() -> calls.count(job.id(), "two") == 1);
        worker("w2");

        // when
        ChildProcesses.kill9(first);
        Instant killedAt = Instant.now();
        awaitSucceeded(job);

        // then
        AttemptRecord takeover = store.attempts("acme", job.id()).getLast();
        assertThat(takeover.workerId()).isEqualTo("w2-1");
        assertThat(Duration.between(killedAt, takeover.startedAt()))
                .isLessThanOrEqualTo(LEASE.plus(WorkerProcess.POLL).plusSeconds(1));
        assertThat(calls.count(job.id(), "one")).isEqualTo(1);
        assertThat(calls.count(job.id(), "three")).isEqualTo(1);
    }

    @Test
    void a_worker_paused_past_its_lease_cannot_overwrite_the_result_when_it_wakes() throws Exception {
        // given
        Process paused = worker("w1", "slow:" + TestPipelines.SECOND + ":15000");
        Job job = enqueue("chain");
        waiting().until(() -> calls.count(job.id(), "two") == 1);
        // The second worker is up before the first freezes: starting, it migrates the database, and on SQLite that
        // write would wait in vain behind a frozen process caught inside a transaction of its own.
        worker("w2");
        ChildProcesses.pause(paused);
        Job finished = awaitSucceeded(job);

        // when
        ChildProcesses.resume(paused);

        // then
        waiting().until(() -> children.output("w1").contains("lease lost"));
        Job after = current(job);
        assertThat(after.updatedAt()).isEqualTo(finished.updatedAt());
        assertThat(after.result()).isEqualTo(finished.result());
        assertThat(store.attempts("acme", job.id()))
                .extracting(AttemptRecord::workerId, AttemptRecord::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("w1-1", AttemptOutcome.LEASE_EXPIRED),
                        org.assertj.core.groups.Tuple.tuple("w2-1", AttemptOutcome.SUCCEEDED));
        assertThat(store.steps("acme", job.id()))
                .filteredOn(step -> !step.step().equals("one"))
                .allSatisfy(step -> assertThat(step.token()).isEqualTo(2));
        assertThat(calls.count(job.id(), "three")).isEqualTo(1);
    }

    @Test
    void a_rate_limited_job_waits_for_its_retry_after_across_a_restart() throws Exception {
        // given
        Process first = worker("w1", "ratelimit:" + TestPipelines.SECOND + ":120");
        Instant before = Instant.now();
        Job job = enqueue("chain");
        waiting().until(() -> current(job).lastError().isPresent());
        Job snoozed = current(job);

        // when
        ChildProcesses.kill9(first);
        worker("w2");

        // then
        assertThat(snoozed.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(snoozed.runAt()).isAfterOrEqualTo(before.plusSeconds(120));
        assertThat(snoozed.attempts()).isZero();
        waiting()
                .during(LEASE.plus(WorkerProcess.POLL.multipliedBy(3)))
                .atMost(WAIT)
                .until(() -> current(job).status() == JobStatus.QUEUED && calls.count(job.id(), "two") == 1);
        assertThat(current(job).runAt()).isEqualTo(snoozed.runAt());

        // and when the wait is over, only the unfinished steps run
        makeDueNow(job);
        awaitSucceeded(job);
        assertThat(calls.count(job.id(), "one")).isEqualTo(1);
        assertThat(calls.count(job.id(), "two")).isEqualTo(2);
    }

    @Test
    void a_job_acknowledged_just_before_a_crash_is_kept_and_its_key_still_names_it() throws Exception {
        // given
        Process enqueuer =
                children.start("enqueuer", EnqueueProcess.class, List.of(url(), "acme", "chain", "order-42"));
        enqueuer.waitFor();
        String acknowledged = children.output("enqueuer")
                .lines()
                .filter(line -> line.matches("[0-9a-f-]{36}"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(children.output("enqueuer")));

        // when
        Enqueued again = store.enqueue(JobSubmission.of(
                        "acme", "chain", new ObjectMapper().createObjectNode().put("text", "crash"))
                .withIdempotencyKey("order-42"));

        // then
        assertThat(store.find("acme", acknowledged)).isPresent();
        assertThat(again.created()).isFalse();
        assertThat(again.job().id()).isEqualTo(acknowledged);
        assertThat(store.list(JobQuery.of("acme", 10)).items()).hasSize(1);
    }

    @Test
    void a_fan_out_interrupted_mid_way_runs_only_the_unfinished_branch_again() throws Exception {
        // given
        Process first = worker("w1", "slow:" + TestPipelines.SECOND + ":" + LONG);
        Job job = enqueue("fanout");
        waiting().until(() -> store.journal(job.id()).containsKey("embed") && calls.count(job.id(), "analyze") == 1);

        // when
        ChildProcesses.kill9(first);
        worker("w2");
        awaitSucceeded(job);

        // then
        assertThat(calls.count(job.id(), "split")).isEqualTo(1);
        assertThat(calls.count(job.id(), "embed")).isEqualTo(1);
        assertThat(calls.count(job.id(), "analyze")).isEqualTo(2);
        assertThat(calls.count(job.id(), "aggregate")).isEqualTo(1);
    }

    @Test
    void worker_processes_complete_every_job_exactly_once() {
        // given: leases long enough that a busy machine's late heartbeat does not pass a job on
        worker("w1", Duration.ofSeconds(15));
        worker("w2", Duration.ofSeconds(15));
        int jobs = 24;

        // when
        List<Job> enqueued = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            enqueued.add(enqueue("chain"));
        }
        waiting().until(() -> enqueued.stream().allMatch(job -> current(job).status() == JobStatus.SUCCEEDED));

        // then
        assertThat(enqueued)
                .allSatisfy(job -> assertThat(store.attempts("acme", job.id()))
                        .singleElement()
                        .extracting(AttemptRecord::outcome)
                        .isEqualTo(AttemptOutcome.SUCCEEDED));
        assertThat(calls.lines()).hasSize(3 * jobs);
        assertThat(calls.counts()).hasSize(3 * jobs);
    }

    private void makeDueNow(Job job) {
        database.inTransaction(
                "make a job due",
                connection -> JdbcJobStore.execute(
                        connection, "UPDATE jobs SET run_at = ? WHERE id = ?", Instant.now(), job.id()));
    }
}
