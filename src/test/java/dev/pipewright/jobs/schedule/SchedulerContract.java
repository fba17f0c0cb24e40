package dev.pipewright.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ScheduleConfig;
import dev.pipewright.jobs.ClaimedJob;
import dev.pipewright.jobs.JobPriority;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.store.Database;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every database gives the scheduler; a subclass per database supplies it. */
abstract class SchedulerContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 01:59 UTC: the nightly schedule fires at 02:00. */
    static final Instant BEFORE_TWO = Instant.parse("2026-03-10T01:59:00Z");

    final FakeClock clock = new FakeClock(BEFORE_TWO);
    final AtomicInteger reads = new AtomicInteger();
    Database database;
    JobStore jobs;
    ScheduleStore runs;

    abstract Database emptyDatabase();

    abstract void doneWith(Database database);

    @BeforeEach
    void open() {
        database = emptyDatabase();
        jobs = JobStores.open(database, clock);
        runs = new ScheduleStore(database);
    }

    @AfterEach
    void close() {
        doneWith(database);
    }

    static PipewrightConfig config(String missed) {
        return ConfigLoader.parse("""
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat}
                pipelines:
                  summarize:
                    steps:
                      first: {model: chat, prompt: "Sum: {{input.text}}"}
                schedules:
                  nightly:
                    cron: "0 2 * * *"
                    pipeline: summarize
                    input: {fixed: {text: "nightly report"}}
                    missed: %s
                """.formatted(missed), "test.yaml");
    }

    Scheduler scheduler(String replica, PipewrightConfig config) {
        ScheduleInputs inputs = (schedule, fireTime, since) -> {
            reads.incrementAndGet();
            ScheduleConfig.Input.Fixed fixed = (ScheduleConfig.Input.Fixed) schedule.input();
            return List.of(new ScheduleInputs.Item(
                    "fixed",
                    "schedule:" + schedule.name() + ":" + fireTime.toEpochMilli(),
                    Optional.of(fixed.input()),
                    Optional.empty()));
        };
        return new Scheduler(runs, jobs, () -> config, inputs, clock, replica);
    }

    @Test
    void a_fire_time_runs_once_and_queues_its_job_as_a_batch_job() {
        // given
        Scheduler scheduler = scheduler("replica-1", config("skip"));
        scheduler.tick();

        // when
        clock.advance(Duration.ofMinutes(1));
        scheduler.tick();
        scheduler.tick();

        // then
        List<ScheduleRun> history = runs.runs("nightly", 10);
        assertThat(history).singleElement().satisfies(run -> {
            assertThat(run.fireTime()).isEqualTo(Instant.parse("2026-03-10T02:00:00Z"));
            assertThat(run.trigger()).isEqualTo("cron");
            assertThat(run.status()).isEqualTo("enqueued");
            assertThat(run.jobs()).isEqualTo(1);
        });
        assertThat(jobs.stats().queueDepth()).isEqualTo(1);
        // an interactive job enqueued later is still claimed first
        jobs.enqueue(JobSubmission.of("default", "summarize", JSON.createObjectNode()));
        ClaimedJob first = jobs.claim("worker", Duration.ofSeconds(30)).orElseThrow();
        assertThat(first.job().id()).isNotEqualTo(history.getFirst().jobIds().getFirst());
    }

    @Test
    void two_replicas_ticking_at_the_same_fire_time_run_it_once() throws Exception {
        // given
        PipewrightConfig config = config("skip");
        List<Scheduler> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(scheduler("replica-" + i, config));
        }
        replicas.forEach(Scheduler::tick);

        // when: every replica ticks at once, over three nights
        for (int night = 0; night < 3; night++) {
            clock.advance(night == 0 ? Duration.ofMinutes(1) : Duration.ofDays(1));
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> ticks = new ArrayList<>();
            for (Scheduler replica : replicas) {
                ticks.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    replica.tick();
                }));
            }
            start.countDown();
            CompletableFuture.allOf(ticks.toArray(CompletableFuture[]::new)).get();
        }

        // then
        assertThat(runs.runs("nightly", 10))
                .extracting(ScheduleRun::fireTime)
                .containsExactly(
                        Instant.parse("2026-03-12T02:00:00Z"),
                        Instant.parse("2026-03-11T02:00:00Z"),
                        Instant.parse("2026-03-10T02:00:00Z"));
        assertThat(reads.get()).isEqualTo(3);
        assertThat(jobs.stats().queueDepth()).isEqualTo(3);
    }

    @Test
    void missed_fire_times_are_skipped_or_run_once_as_configured() {
        // given: both schedules ran the first night, then no replica ran for three nights
        Scheduler skip = scheduler("replica-1", config("skip"));
        skip.tick();
        clock.advance(Duration.ofMinutes(1));
        skip.tick();
        clock.advance(Duration.ofDays(3).plusHours(5));

        // when
        skip.tick();

        // then
        assertThat(runs.runs("nightly", 10)).first().satisfies(run -> {
            assertThat(run.fireTime()).isEqualTo(Instant.parse("2026-03-13T02:00:00Z"));
            assertThat(run.trigger()).isEqualTo("missed");
            assertThat(run.status()).isEqualTo("skipped");
        });
        assertThat(reads.get()).isEqualTo(1);

        // and when the policy is run-once, the latest missed night runs once
        Scheduler runOnce = scheduler("replica-2", config("run-once"));
        clock.advance(Duration.ofDays(2));
        runOnce.tick();
        runOnce.tick();
        assertThat(runs.runs("nightly", 10)).first().satisfies(run -> {
            assertThat(run.fireTime()).isEqualTo(Instant.parse("2026-03-15T02:00:00Z"));
            assertThat(run.trigger()).isEqualTo("missed");
            assertThat(run.status()).isEqualTo("enqueued");
        });
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void a_manual_run_queues_the_schedule_now_and_an_unknown_one_is_empty() {
        // given
        Scheduler scheduler = scheduler("replica-1", config("skip"));

        // when
        Optional<ScheduleRun> run = scheduler.runNow("nightly", "master");

        // then
        assertThat(run).hasValueSatisfying(manual -> {
            assertThat(manual.trigger()).isEqualTo("manual");
            assertThat(manual.status()).isEqualTo("enqueued");
            assertThat(manual.claimedBy()).isEqualTo("master");
        });
        assertThat(scheduler.runNow("weekly", "master")).isEmpty();
        assertThat(jobs.list(new dev.pipewright.jobs.JobQuery(
                                "default", Optional.empty(), Optional.empty(), Optional.empty(), 10))
                        .items())
                .hasSize(1);
        assertThat(JobPriority.BATCH.rank()).isGreaterThan(JobPriority.INTERACTIVE.rank());
    }

    @Test
    void a_run_left_unfinished_by_a_dead_replica_is_taken_over_without_queueing_twice() {
        // given: a replica claimed 02:00 and died before queueing
        Instant fire = Instant.parse("2026-03-10T02:00:00Z");
        clock.advance(Duration.ofMinutes(1));
        runs.claim("nightly", fire, "cron", "dead-replica", clock.instant());
        Scheduler survivor = scheduler("replica-2", config("skip"));

        // when
        survivor.tick();
        clock.advance(Scheduler.STALE.plusMinutes(1));
        survivor.tick();
        survivor.tick();

        // then
        assertThat(runs.runs("nightly", 10)).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo("enqueued");
            assertThat(run.claimedBy()).isEqualTo("replica-2");
        });
        assertThat(jobs.stats().queueDepth()).isEqualTo(1);
    }
}
