package dev.pipewright.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.cost.BudgetGuard;
import dev.pipewright.cost.Budgets;
import dev.pipewright.cost.CostInterceptor;
import dev.pipewright.cost.InMemoryBudgetStore;
import dev.pipewright.cost.LedgerEntry;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelError;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.store.Database;
import dev.pipewright.store.StoreException;
import dev.pipewright.telemetry.CostMeters;
import dev.pipewright.telemetry.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers running real pipelines against each store, in this process, on the system clock. */
abstract class WorkerContract {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Waits on the store, riding out a connection broken by a database restart (the server is shared). */
    static ConditionFactory waiting() {
        return await().atMost(WAIT).ignoreExceptionsInstanceOf(StoreException.class);
    }

    @TempDir
    Path folder;

    final Clock clock = Clock.system();
    final PipewrightConfig config = TestPipelines.config();
    Database database;
    JobStore store;
    CallLog calls;
    CountingModelClient models;
    private final List<AutoCloseable> running = new ArrayList<>();

    abstract Database emptyDatabase();

    abstract void doneWith(Database database);

    @BeforeEach
    void openStore() {
        database = emptyDatabase();
        store = JobStores.open(database, clock);
        calls = new CallLog(folder.resolve("calls.log"));
        models = new CountingModelClient(clock, calls);
    }

    @AfterEach
    void stopWorkers() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
        doneWith(database);
    }

    WorkerSettings settings(String id) {
        return WorkerSettings.defaults(id)
                .withConcurrency(4)
                .withTiming(Duration.ofMillis(50), Duration.ofSeconds(3), Duration.ofMillis(500))
                .withBackoff(new RetryBackoff(Duration.ofMillis(50), Duration.ofMillis(100)))
                .withShutdownGrace(Duration.ofMillis(200));
    }

    WorkerPool startPool(int workers, WorkerSettings settings) {
        return startPool(workers, settings, TestPipelines.executor(config, models, clock));
    }

    /** One worker on {@code executor} and {@code pipelines} that tells {@code listener} of every run. */
    void startTelling(PipelineExecutor executor, PipewrightConfig pipelines, JobRunListener listener) {
        running.add(WorkerPool.start(
                1,
                store,
                executor,
                () -> pipelines,
                clock,
                new SplittableRandom(7),
                settings("w"),
                Tracing.off().tracer(),
                JobScope.NONE,
                listener));
    }

    WorkerPool startPool(int workers, WorkerSettings settings, PipelineExecutor executor) {
        WorkerPool pool =
                WorkerPool.start(workers, store, executor, () -> config, clock, new SplittableRandom(7), settings);
        running.add(pool);
        return pool;
    }

    Job enqueue(String pipeline, String text) {
        return enqueue(JobSubmission.of(
                "acme", pipeline, new ObjectMapper().createObjectNode().put("text", text)));
    }

    Job enqueue(JobSubmission submission) {
        return store.enqueue(submission).job();
    }

    Job awaitStatus(Job job, JobStatus status) {
        waiting().until(() -> current(job).status() == status);
        return current(job);
    }

    Job current(Job job) {
        return store.find(job.tenant(), job.id()).orElseThrow();
    }

    @Test
    void a_tenant_with_a_large_batch_delays_another_tenant_by_at_most_one_turn_of_each_worker_slot() {
        // given: tenant big has 40 slow jobs queued and running on 2 slots
        models.slow(TestPipelines.FIRST, Duration.ofMillis(100));
        List<Job> big = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            big.add(enqueue(JobSubmission.of(
                    "big", "chain", new ObjectMapper().createObjectNode().put("text", "big " + i))));
        }
        startPool(1, settings("w").withConcurrency(2));
        waiting()
                .until(() -> big.stream()
                                .filter(job -> current(job).status() == JobStatus.SUCCEEDED)
                                .count()
                        >= 2);

        // when
        Job small = enqueue(JobSubmission.of(
                "small", "chain", new ObjectMapper().createObjectNode().put("text", "s")));
        awaitStatus(small, JobStatus.SUCCEEDED);

        // then: only jobs claimed in the same turn (one per slot) started between its enqueue and its start
        Instant smallStarted = store.attempts("small", small.id()).getFirst().startedAt();
        long bigStartedMeanwhile = big.stream()
                .flatMap(job -> store.attempts("big", job.id()).stream())
                .map(AttemptRecord::startedAt)
                .filter(started -> started.isAfter(small.createdAt()) && started.isBefore(smallStarted))
                .count();
        assertThat(bigStartedMeanwhile).isLessThanOrEqualTo(2);
        assertThat(big.stream().filter(job -> current(job).status() != JobStatus.SUCCEEDED))
                .as("big's batch was still waiting when small's job ran")
                .isNotEmpty();
    }

    @Test
    void a_job_runs_the_variant_chosen_at_submit_and_names_it_in_its_result_and_ledger_rows() {
        // given a worker whose model calls are costed into a ledger
        List<LedgerEntry> ledger = new CopyOnWriteArrayList<>();
        startPool(1, settings("w"), costed(ledger));

        // when one job was assigned the candidate and one the stable version
        Job candidate = awaitStatus(enqueue(versioned("next")), JobStatus.SUCCEEDED);
        Job stable = awaitStatus(enqueue(versioned("stable")), JobStatus.SUCCEEDED);

        // then each ran its own pinned definition and says which
        assertThat(candidate.variant()).isEqualTo("next");
        JsonNode candidateResult = candidate.result().orElseThrow();
        assertThat(candidateResult.get("variant").asText()).isEqualTo("next");
        assertThat(candidateResult.get("version").asText())
                .isEqualTo(PipelineVersion.of(
                        config.deployments()
                                .get("versioned")
                                .candidate("next")
                                .orElseThrow()
                                .pipeline(),
                        config::model));
        assertThat(candidateResult.path("steps").path("reply").path("model").asText())
                .isEqualTo("second");
        JsonNode stableResult = stable.result().orElseThrow();
        assertThat(stableResult.get("variant").asText()).isEqualTo("stable");
        assertThat(stableResult.get("version").asText())
                .isEqualTo(PipelineVersion.of(config.pipelines().get("versioned"), config::model));
        assertThat(stableResult.path("steps").path("reply").path("model").asText())
                .isEqualTo("first");
        // and so does every ledger row of their model calls
        assertThat(ledger)
                .filteredOn(entry -> entry.requestId().equals(candidate.id()))
                .extracting(LedgerEntry::variant, LedgerEntry::model)
                .containsExactly(tuple("next", "second"));
        assertThat(ledger)
                .filteredOn(entry -> entry.requestId().equals(stable.id()))
                .extracting(LedgerEntry::variant, LedgerEntry::model)
                .containsExactly(tuple("stable", "first"));
    }

    @Test
    void each_attempt_that_ran_its_pipeline_is_told_with_its_variant_version_and_results() {
        // given a pool that tells what each attempt ran, and a chain whose last step will be refused for good
        List<JobRunListener.Run> told = new CopyOnWriteArrayList<>();
        startTelling(TestPipelines.executor(config, models, clock), config, told::add);
        models.failNext(TestPipelines.THIRD, new ModelError.ContentFiltered("refused"));

        // when
        Job candidate = awaitStatus(enqueue(versioned("next")), JobStatus.SUCCEEDED);
        Job failed = awaitStatus(enqueue("chain", "hello"), JobStatus.DEAD);

        // then the candidate's run names its variant, pipeline and version, with its results
        PipelineConfig next = config.deployments()
                .get("versioned")
                .candidate("next")
                .orElseThrow()
                .pipeline();
        JobRunListener.Run ran = told.stream()
                .filter(run -> run.jobId().equals(candidate.id()))
                .findFirst()
                .orElseThrow();
        assertThat(ran.tenant()).isEqualTo("acme");
        assertThat(ran.input()).isEqualTo(candidate.input());
        assertThat(ran.variant()).isEqualTo("next");
        assertThat(ran.pipeline()).isEqualTo(next);
        assertThat(ran.version()).isEqualTo(PipelineVersion.of(next, config::model));
        assertThat(ran.results().orElseThrow().has("reply")).isTrue();
        assertThat(ran.results().orElseThrow())
                .isEqualTo(candidate.result().orElseThrow().get("results"));
        assertThat(ran.latency()).isPositive();
        // and the failed chain's run has no results and no variant (the pipeline has no deployment)
        assertThat(told)
                .filteredOn(run -> run.jobId().equals(failed.id()))
                .singleElement()
                .satisfies(run -> {
                    assertThat(run.results()).isEmpty();
                    assertThat(run.variant()).isEmpty();
                });
    }

    @Test
    void an_attempt_refused_by_its_tenants_budget_is_not_told_as_a_run() {
        // given a tenant whose budget cannot pay for one call, and a pool that tells what each attempt ran
        PipewrightConfig budgeted = ConfigLoader.parse(
                TestPipelines.YAML.replace(
                                "first: {provider: fake, model: first-2025-01-01, timeout: 60s}",
                                "first: {provider: fake, model: first-2025-01-01, timeout: 60s,"
                                        + " price: {input_per_mtok: 1000, output_per_mtok: 1000}}")
                        + """
                        tenants:
                          broke: {api_keys: ["sha256:%s"], budget: {daily_usd: 0.000001}}
                        """.formatted("c".repeat(64)),
                "budgeted.yaml");
        Budgets budgets = new Budgets(
                () -> budgeted,
                new InMemoryBudgetStore(),
                new CostMeters(new SimpleMeterRegistry()),
                name -> name,
                alert -> {},
                clock);
        CostInterceptor cost = new CostInterceptor(
                budgeted::model,
                budgets,
                entry -> {},
                new CostMeters(new SimpleMeterRegistry()),
                new BigDecimal("10"),
                clock);
        PipelineExecutor executor = new PipelineExecutor(
                new ModelCall(List.of(cost), model -> models, budgeted::model, clock), budgeted::model, clock);
        List<JobRunListener.Run> told = new CopyOnWriteArrayList<>();
        startTelling(executor, budgeted, told::add);

        // when a job of the broke tenant is refused by its budget, and one of another tenant runs
        Job refused = enqueue(JobSubmission.of(
                "broke", "chain", new ObjectMapper().createObjectNode().put("text", "spend")));
        waiting().until(() -> current(refused).lastError().isPresent());
        Job ran = awaitStatus(enqueue("chain", "hello"), JobStatus.SUCCEEDED);

        // then the refusal is the budget's, and only the run that ran is told
        assertThat(current(refused).lastError().orElseThrow().kind()).isEqualTo("rate_limited");
        assertThat(told).extracting(JobRunListener.Run::jobId).containsExactly(ran.id());
    }

    @Test
    void a_job_whose_candidate_has_left_the_deployment_runs_the_stable_version() {
        // given a job assigned a candidate that a reloaded configuration no longer has
        startPool(1, settings("w"));
        Job submitted = enqueue(versioned("retired"));

        // when
        Job job = awaitStatus(submitted, JobStatus.SUCCEEDED);

        // then it is not lost: the stable version runs it and the result says so
        assertThat(job.variant()).isEqualTo("retired");
        assertThat(job.result().orElseThrow().get("variant").asText()).isEqualTo("stable");
        assertThat(job.result()
                        .orElseThrow()
                        .path("steps")
                        .path("reply")
                        .path("model")
                        .asText())
                .isEqualTo("first");
    }

    @Test
    void a_job_of_a_pipeline_without_deployment_records_no_variant() {
        // given
        startPool(1, settings("w"));

        // when
        Job job = awaitStatus(enqueue("chain", "plain"), JobStatus.SUCCEEDED);

        // then
        assertThat(job.variant()).isEmpty();
        assertThat(job.result().orElseThrow().has("variant")).isFalse();
    }

    private static JobSubmission versioned(String variant) {
        return JobSubmission.of(
                        "acme",
                        "versioned",
                        new ObjectMapper().createObjectNode().put("text", variant))
                .withVariant(variant);
    }

    private PipelineExecutor costed(List<LedgerEntry> ledger) {
        CostInterceptor cost = new CostInterceptor(
                config::model,
                BudgetGuard.NONE,
                ledger::add,
                new CostMeters(new SimpleMeterRegistry()),
                new BigDecimal("10"),
                clock);
        ModelCall modelCall = new ModelCall(List.of(cost), model -> models, config::model, clock);
        return new PipelineExecutor(modelCall, config::model, clock);
    }

    @Test
    void a_worker_runs_a_chain_to_its_result_journaling_each_step_once() {
        // given
        startPool(1, settings("w"));

        // when
        Job job = awaitStatus(enqueue("chain", "hello"), JobStatus.SUCCEEDED);

        // then
        assertThat(job.result().orElseThrow().path("results").path("result").asText())
                .isEqualTo("done " + job.id() + ":three");
        assertThat(calls.counts())
                .containsOnlyKeys(job.id() + ":one", job.id() + ":two", job.id() + ":three")
                .allSatisfy((key, count) -> assertThat(count).isEqualTo(1));
        assertThat(store.steps("acme", job.id())).extracting(StepRecord::step).containsExactly("one", "two", "three");
        assertThat(store.attempts("acme", job.id()))
                .extracting(AttemptRecord::outcome)
                .containsExactly(AttemptOutcome.SUCCEEDED);
    }

    @Test
    void a_rate_limit_snoozes_the_job_for_the_retry_after_without_using_an_attempt() {
        // given
        models.failNext(
                TestPipelines.SECOND, new ModelError.RateLimited("slow down", Optional.of(Duration.ofSeconds(120))));
        startPool(1, settings("w"));
        Instant before = clock.instant();

        // when
        Job job = enqueue("chain", "hello");
        waiting().until(() -> current(job).lastError().isPresent());

        // then
        Job snoozed = current(job);
        assertThat(snoozed.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(snoozed.attempts()).isZero();
        assertThat(snoozed.runAt()).isAfterOrEqualTo(before.plusSeconds(120));
        assertThat(snoozed.lastError().orElseThrow().kind()).isEqualTo("rate_limited");
        waiting().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> calls.count(job.id(), "two") == 1);
        assertThat(current(job).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.stats().scheduled()).isEqualTo(1);
    }

    @Test
    void a_retryable_failure_is_retried_from_the_store_without_running_journaled_steps_again() {
        // given
        models.failNext(TestPipelines.SECOND, new ModelError.Unavailable("overloaded", 503, Optional.empty()));
        startPool(1, settings("w"));

        // when
        Job job = awaitStatus(enqueue("chain", "hello"), JobStatus.SUCCEEDED);

        // then
        assertThat(calls.count(job.id(), "one")).isEqualTo(1);
        assertThat(calls.count(job.id(), "two")).isEqualTo(2);
        assertThat(calls.count(job.id(), "three")).isEqualTo(1);
        assertThat(store.attempts("acme", job.id()))
                .extracting(AttemptRecord::outcome)
                .containsExactly(AttemptOutcome.RETRY_SCHEDULED, AttemptOutcome.SUCCEEDED);
        assertThat(store.stats().retries()).isEqualTo(1);
    }

    @Test
    void a_permanent_failure_is_dead_lettered_and_a_replay_runs_only_the_unfinished_steps() {
        // given
        models.failNext(TestPipelines.THIRD, new ModelError.ContentFiltered("refused"));
        startPool(1, settings("w"));
        Job job = awaitStatus(enqueue("chain", "hello"), JobStatus.DEAD);
        assertThat(job.lastError()).contains(new JobError("content_filtered", "refused", Optional.of("three")));

        // when
        store.replay("acme", job.id());
        awaitStatus(job, JobStatus.SUCCEEDED);

        // then
        assertThat(calls.count(job.id(), "one")).isEqualTo(1);
        assertThat(calls.count(job.id(), "two")).isEqualTo(1);
        assertThat(calls.count(job.id(), "three")).isEqualTo(2);
    }

    @Test
    void the_last_allowed_attempt_failing_sends_the_job_to_the_dead_letter_queue_with_its_history() {
        // given
        ModelError unavailable = new ModelError.Unavailable("down", 503, Optional.empty());
        models.failNext(TestPipelines.FIRST, unavailable).failNext(TestPipelines.FIRST, unavailable);
        startPool(1, settings("w"));

        // when
        Job job = enqueue(JobSubmission.of(
                        "acme", "chain", new ObjectMapper().createObjectNode().put("text", "x"))
                .withMaxAttempts(2));
        Job dead = awaitStatus(job, JobStatus.DEAD);

        // then
        assertThat(dead.attempts()).isEqualTo(2);
        DlqEntry entry = store.deadLetters("acme", Optional.empty(), 10).items().getFirst();
        assertThat(entry.attempts())
                .extracting(AttemptRecord::outcome)
                .containsExactly(AttemptOutcome.RETRY_SCHEDULED, AttemptOutcome.DEAD_LETTERED);
        assertThat(entry.job().lastError().orElseThrow().kind()).isEqualTo("unavailable");
    }

    @Test
    void input_the_pipeline_cannot_take_is_dead_lettered_without_a_call() {
        // given
        startPool(1, settings("w"));

        // when
        Job job = enqueue(JobSubmission.of("acme", "chain", new ObjectMapper().createObjectNode()));
        Job dead = awaitStatus(job, JobStatus.DEAD);

        // then
        assertThat(dead.lastError().orElseThrow().kind()).isEqualTo("invalid_input");
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(calls.lines()).isEmpty();
    }

    @Test
    void many_workers_complete_every_job_exactly_once_and_run_no_step_twice() {
        // given
        startPool(3, settings("w"));
        int jobs = 30;

        // when
        List<Job> enqueued = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            enqueued.add(enqueue("chain", "job " + i));
        }
        waiting().until(() -> enqueued.stream().allMatch(job -> current(job).status() == JobStatus.SUCCEEDED));

        // then
        assertThat(calls.lines()).hasSize(3 * jobs);
        assertThat(calls.counts()).hasSize(3 * jobs);
        assertThat(enqueued)
                .allSatisfy(job -> assertThat(store.attempts("acme", job.id())).hasSize(1));
    }

    @Test
    void cancelling_a_running_job_stops_its_worker_before_the_next_step() {
        // given
        models.slow(TestPipelines.SECOND, Duration.ofSeconds(30));
        WorkerPool pool = startPool(1, settings("w"));
        Job job = enqueue("chain", "hello");
        waiting().until(() -> calls.count(job.id(), "two") == 1);

        // when
        store.cancel("acme", job.id());

        // then
        waiting().until(() -> pool.inFlight() == 0);
        assertThat(current(job).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(calls.count(job.id(), "three")).isZero();
    }

    @Test
    void a_stopping_worker_gives_its_running_job_back_without_using_the_attempt() {
        // given
        models.slow(TestPipelines.SECOND, Duration.ofSeconds(30));
        WorkerPool pool = startPool(1, settings("w"));
        Job job = enqueue("chain", "hello");
        waiting().until(() -> calls.count(job.id(), "two") == 1);

        // when
        pool.close();

        // then
        Job released = current(job);
        assertThat(released.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(released.attempts()).isZero();
        assertThat(store.attempts("acme", job.id()))
                .extracting(AttemptRecord::outcome)
                .containsExactly(AttemptOutcome.RELEASED);
        assertThat(store.journal(job.id())).containsOnlyKeys("one");
    }
}
