package dev.pipewright.jobs.schedule;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ScheduleConfig;
import dev.pipewright.jobs.Enqueued;
import dev.pipewright.jobs.JobPriority;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.model.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured schedules: at each fire time, the replica that claims the (schedule, fire time) row in the
 * {@link ScheduleStore} queues the run's jobs as batch jobs; every other replica finds the row taken and does nothing,
 * so each fire time runs once however many replicas there are. A fire time more than {@link #LATE} in the past when
 * seen (no replica ran then) is missed: with {@code skip} it is recorded as skipped, with {@code run-once} the latest
 * missed fire time runs once. A schedule never run before starts from the time this scheduler first saw it. A run
 * whose replica died while queueing is taken over after {@link #STALE}; its jobs' idempotency keys keep any already
 * queued from being queued twice.
 *
 * <p>{@link #tick} does one pass and is what a timer calls; time comes from the injected clock only. Thread safe.
 */
public final class Scheduler {
    static final Duration LATE = Duration.ofMinutes(2);
    static final Duration STALE = Duration.ofMinutes(10);
    private static final Duration LOOK_BACK = Duration.ofDays(366);
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final ScheduleStore runs;
    private final JobStore jobs;
    private final Supplier<PipewrightConfig> config;
    private final ScheduleInputs inputs;
    private final Clock clock;
    private final String replica;
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    public Scheduler(
            ScheduleStore runs,
            JobStore jobs,
            Supplier<PipewrightConfig> config,
            ScheduleInputs inputs,
            Clock clock,
            String replica) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.config = Objects.requireNonNull(config, "config");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.replica = Objects.requireNonNull(replica, "replica");
    }

    /** One pass over every schedule: runs what is due and takes over runs left unfinished by a dead replica. */
    public void tick() {
        Instant now = clock.instant();
        Map<String, ScheduleConfig> schedules = config.get().schedules();
        for (ScheduleConfig schedule : schedules.values()) {
            try {
                fireIfDue(schedule, now);
            } catch (RuntimeException e) {
                log.warn(
                        "schedule {}: could not check for a due run; trying again at the next tick",
                        schedule.name(),
                        e);
            }
        }
        for (ScheduleRun stale : runs.staleClaims(now.minus(STALE))) {
            ScheduleConfig schedule = schedules.get(stale.schedule());
            if (schedule != null && runs.retake(stale, replica, now)) {
                log.info("schedule {}: taking over the unfinished run of {}", schedule.name(), stale.fireTime());
                execute(schedule, stale.fireTime());
            }
        }
    }

    /** Runs {@code name} now, outside its cron; empty when there is no such schedule. */
    public Optional<ScheduleRun> runNow(String name, String by) {
        ScheduleConfig schedule = config.get().schedules().get(name);
        if (schedule == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!runs.claim(name, now, "manual", by, now)) {
            return runs.runs(name, 1).stream().findFirst();
        }
        log.info("schedule {}: run by {}", name, by);
        execute(schedule, now);
        return runs.runs(name, 1).stream().findFirst();
    }

    /** The next fire time of {@code schedule} after {@code now}; empty when its cron never fires again. */
    public static Optional<Instant> nextFire(ScheduleConfig schedule, Instant now) {
        return schedule.cron()
                .next(now.atZone(schedule.zone()), schedule.zone())
                .map(ZonedDateTime::toInstant);
    }

    private void fireIfDue(ScheduleConfig schedule, Instant now) {
        Instant from = runs.lastFireTime(schedule.name())
                .orElseGet(() -> firstSeen.computeIfAbsent(schedule.name(), name -> now));
        if (from.isBefore(now.minus(LOOK_BACK))) {
            from = now.minus(LOOK_BACK);
        }
        Optional<Instant> due = latestFireBetween(schedule, from, now);
        if (due.isEmpty()) {
            return;
        }
        Instant fireTime = due.get();
        boolean missed = fireTime.isBefore(now.minus(LATE));
        if (missed && schedule.missed() == ScheduleConfig.MissedFires.SKIP) {
            if (runs.claim(schedule.name(), fireTime, "missed", replica, now)) {
                runs.finish(schedule.name(), fireTime, "skipped", List.of(), 0, 0, Optional.empty(), now);
                log.info("schedule {}: fire time {} was missed and is skipped", schedule.name(), fireTime);
            }
            return;
        }
        if (runs.claim(schedule.name(), fireTime, missed ? "missed" : "cron", replica, now)) {
            log.info("schedule {}: running the fire time {}{}", schedule.name(), fireTime, missed ? " (missed)" : "");
            execute(schedule, fireTime);
        }
    }

    /** The latest fire time in (from, now], if any. */
    private static Optional<Instant> latestFireBetween(ScheduleConfig schedule, Instant from, Instant now) {
        Optional<Instant> latest = Optional.empty();
        Optional<Instant> next = nextFire(schedule, from);
        while (next.isPresent() && !next.get().isAfter(now)) {
            latest = next;
            next = nextFire(schedule, next.get());
        }
        return latest;
    }

    private void execute(ScheduleConfig schedule, Instant fireTime) {
        try {
            Optional<Instant> since = runs.lastEnqueued(schedule.name()).map(ScheduleRun::claimedAt);
            List<ScheduleInputs.Item> items = inputs.read(schedule, fireTime, since);
            List<String> ids = new ArrayList<>();
            int created = 0;
            int problems = 0;
            for (ScheduleInputs.Item item : items) {
                if (item.input().isEmpty()) {
                    problems++;
                    log.warn(
                            "schedule {}: {} is not queued: {}",
                            schedule.name(),
                            item.ref(),
                            item.problem().orElse("no input"));
                    continue;
                }
                Enqueued enqueued = jobs.enqueue(JobSubmission.of(
                                schedule.tenant(),
                                schedule.pipeline(),
                                item.input().get())
                        .withIdempotencyKey(item.idempotencyKey())
                        .withPriority(JobPriority.BATCH));
                if (enqueued.created()) {
                    created++;
                    ids.add(enqueued.job().id());
                }
            }
            runs.finish(
                    schedule.name(), fireTime, "enqueued", ids, created, problems, Optional.empty(), clock.instant());
            log.info(
                    "schedule {}: fire time {} queued {} jobs ({} inputs already queued, {} unreadable)",
                    schedule.name(),
                    fireTime,
                    created,
                    items.size() - created - problems,
                    problems);
        } catch (Exception e) {
            log.error("schedule {}: the run of {} failed", schedule.name(), fireTime, e);
            runs.finish(
                    schedule.name(),
                    fireTime,
                    "failed",
                    List.of(),
                    0,
                    0,
                    Optional.of(String.valueOf(e.getMessage())),
                    clock.instant());
        }
    }
}
