package dev.pipewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ScheduleConfig;
import dev.pipewright.gateway.SchedulesApi;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.documents.DocumentText;
import dev.pipewright.jobs.schedule.ScheduleRun;
import dev.pipewright.jobs.schedule.ScheduleStore;
import dev.pipewright.jobs.schedule.Scheduler;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Json;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedules of {@code serve}: the {@link Scheduler} on a timer in every replica that opens the job store (the
 * store lets one replica run each fire time), and what {@code GET /v1/schedules} and {@code pipewright schedules}
 * show of them.
 */
final class ScheduleBackend implements SchedulesApi, AutoCloseable {
    static final Duration TICK = Duration.ofSeconds(5);
    /** The outcome of a run is read from at most this many of its jobs. */
    private static final int OUTCOME_SAMPLE = 200;

    private static final Logger audit = LoggerFactory.getLogger("pipewright.audit");

    private final ScheduleStore runs;
    private final JobStore jobs;
    private final Supplier<PipewrightConfig> config;
    private final Scheduler scheduler;
    private final Clock clock;
    private final ObjectMapper json = Json.mapper();
    private ScheduledExecutorService timer;

    ScheduleBackend(JobBackend backend, Supplier<PipewrightConfig> config, Clock clock, String replica) {
        this.runs = new ScheduleStore(backend.database());
        this.jobs = backend.store();
        this.config = config;
        this.clock = clock;
        this.scheduler = new Scheduler(runs, jobs, config, new ScheduledInputs(documentText()), clock, replica);
    }

    /** One extractor, made when a folder is first read. */
    private static Supplier<DocumentText> documentText() {
        AtomicReference<DocumentText> made = new AtomicReference<>();
        return () -> made.updateAndGet(existing -> existing != null ? existing : DocumentText.withDefaultLimits());
    }

    /** Checks the schedules every {@link #TICK}, starting one tick after the start, until closed. */
    ScheduleBackend startTimer() {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("pipewright-schedules").factory());
        timer.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            scheduler.tick();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ScheduleBackend.class).warn("the schedules could not be checked", e);
        }
    }

    @Override
    public JsonNode list() {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("schedules");
        for (ScheduleConfig schedule : config.get().schedules().values()) {
            list.add(describe(schedule));
        }
        return body;
    }

    @Override
    public Optional<JsonNode> run(String name, String by) {
        Optional<ScheduleRun> run = scheduler.runNow(name, by);
        run.ifPresent(started -> audit.info(
                "{}",
                json.createObjectNode()
                        .put("action", "schedule.run")
                        .put("by", by)
                        .put("target", name)
                        .put("at", clock.instant().toString())));
        return run.map(this::describe);
    }

    ObjectNode describe(ScheduleConfig schedule) {
        ObjectNode node = json.createObjectNode()
                .put("name", schedule.name())
                .put("cron", schedule.cron().toString())
                .put("zone", schedule.zone().getId())
                .put("pipeline", schedule.pipeline())
                .put("tenant", schedule.tenant())
                .put("input", inputKind(schedule.input()))
                .put("missed", schedule.missed().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .put(
                        "next_fire",
                        Scheduler.nextFire(schedule, clock.instant())
                                .map(Object::toString)
                                .orElse(null));
        List<ScheduleRun> last = runs.runs(schedule.name(), 1);
        node.set("last_run", last.isEmpty() ? json.nullNode() : describe(last.getFirst()));
        return node;
    }

    private ObjectNode describe(ScheduleRun run) {
        return json.createObjectNode()
                .put("fire_time", run.fireTime().toString())
                .put("trigger", run.trigger())
                .put("status", run.status())
                .put("replica", run.claimedBy())
                .put("started_at", run.claimedAt().toString())
                .put("finished_at", run.finishedAt().map(Object::toString).orElse(null))
                .put("jobs", run.jobs())
                .put("unreadable_inputs", run.problems())
                .put("outcome", outcome(run))
                .put("error", run.error().orElse(null));
    }

    /**
     * {@code succeeded} when every job of the run succeeded, {@code running} while any is queued or running, {@code
     * failed} when any ended dead or cancelled; {@code skipped}, {@code failed} or {@code queueing} for a run that
     * queued nothing (yet).
     */
    private String outcome(ScheduleRun run) {
        switch (run.status()) {
            case "skipped", "failed" -> {
                return run.status();
            }
            case "claimed" -> {
                return "queueing";
            }
            default -> {
                // an enqueued run: its jobs tell
            }
        }
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        String tenant = config.get().schedules().containsKey(run.schedule())
                ? config.get().schedules().get(run.schedule()).tenant()
                : "default";
        for (String id :
                run.jobIds().subList(0, Math.min(OUTCOME_SAMPLE, run.jobIds().size()))) {
            jobs.find(tenant, id).map(Job::status).ifPresent(status -> counts.merge(status, 1, Integer::sum));
        }
        if (counts.getOrDefault(JobStatus.QUEUED, 0) + counts.getOrDefault(JobStatus.RUNNING, 0) > 0) {
            return "running";
        }
        if (counts.getOrDefault(JobStatus.DEAD, 0) + counts.getOrDefault(JobStatus.CANCELLED, 0) > 0) {
            return "failed";
        }
        return "succeeded";
    }

    private static String inputKind(ScheduleConfig.Input input) {
        return switch (input) {
            case ScheduleConfig.Input.Folder folder -> "folder " + folder.path();
            case ScheduleConfig.Input.JsonLines lines -> "jsonl " + lines.file();
            case ScheduleConfig.Input.Fixed fixed -> "fixed";
        };
    }

    /** Stops the timer; a run in progress finishes first. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdown();
            try {
                timer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
