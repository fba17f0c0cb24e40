package dev.pipewright.gateway.console;

import dev.pipewright.config.PipelineConfig;
import dev.pipewright.gateway.JobsApi;
import dev.pipewright.jobs.AttemptRecord;
import dev.pipewright.jobs.DlqEntry;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobError;
import dev.pipewright.jobs.JobQuery;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.Page;
import dev.pipewright.jobs.StepRecord;
import io.helidon.webserver.http.ServerRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs of the viewer's tenant: a filterable list, a job's detail with its step timeline and attempts, and the dead
 * letter queue with a replay button. Every read takes the tenant, as the job routes do, so another tenant's job is
 * simply not found.
 */
final class JobPages {
    private static final int PAGE = 50;
    private static final Logger audit = LoggerFactory.getLogger("pipewright.audit");

    private final ConsoleSources sources;
    private final Templates templates;

    JobPages(ConsoleSources sources, Templates templates) {
        this.sources = sources;
        this.templates = templates;
    }

    Reply list(ServerRequest request, Viewer viewer, Form form) {
        Map<String, Object> scope = Console.layout(viewer, "jobs", "Jobs", sources);
        Optional<JobsApi> jobs = sources.jobs();
        scope.put("configured", jobs.isPresent());
        if (jobs.isEmpty()) {
            return Reply.ok(templates.render("jobs", scope));
        }
        var query = request.query();
        Optional<JobStatus> status =
                query.first("status").asOptional().filter(s -> !s.isEmpty()).map(JobStatus::fromJsonName);
        Optional<String> pipeline = query.first("pipeline").asOptional().filter(p -> !p.isEmpty());
        Optional<String> cursor = query.first("cursor").asOptional().filter(c -> !c.isEmpty());
        Page<Job> page = jobs.get().store().list(new JobQuery(viewer.tenant(), status, pipeline, cursor, PAGE));
        scope.put("jobs", page.items().stream().map(JobPages::summary).toList());
        scope.put(
                "statuses",
                Arrays.stream(JobStatus.values())
                        .map(s -> Map.of("name", s.jsonName(), "selected", status.equals(Optional.of(s))))
                        .toList());
        scope.put(
                "pipelines",
                sources.config().get().pipelines().keySet().stream()
                        .map(p -> Map.of("name", p, "selected", pipeline.equals(Optional.of(p))))
                        .toList());
        page.nextCursor()
                .ifPresent(next -> scope.put(
                        "next",
                        Console.PATH + "/jobs?status="
                                + status.map(JobStatus::jsonName).orElse("") + "&pipeline="
                                + encode(pipeline.orElse("")) + "&cursor=" + encode(next)));
        return Reply.ok(templates.render("jobs", scope));
    }

    Reply show(ServerRequest request, Viewer viewer, Form form) {
        String id = request.path().pathParameters().get("id");
        Map<String, Object> scope = Console.layout(viewer, "jobs", "Job " + id, sources);
        Optional<Job> found = sources.jobs().flatMap(jobs -> jobs.store().find(viewer.tenant(), id));
        if (found.isEmpty()) {
            scope.put("message", "No job with id " + id + " for tenant " + viewer.tenant() + ".");
            return new Reply.Page(404, templates.render("error", scope));
        }
        Job job = found.get();
        JobsApi jobs = sources.jobs().orElseThrow();
        scope.put("job", summary(job));
        scope.put("live", job.status() == JobStatus.QUEUED || job.status() == JobStatus.RUNNING);
        scope.put("dead", job.status() == JobStatus.DEAD);
        scope.put("input", job.input().toPrettyString());
        // A job that succeeded after a retry or a replay keeps its last error in the store; it no longer matters.
        job.lastError()
                .filter(error -> job.status() != JobStatus.SUCCEEDED)
                .ifPresent(error -> scope.put("error", error(error)));
        Optional<PipelineConfig> pipeline =
                Optional.ofNullable(sources.config().get().pipelines().get(job.pipeline()));
        if (job.result().isPresent()) {
            List<StepTimeline.Step> steps = StepTimeline.steps(job.result().get(), pipeline);
            scope.put("timeline", StepTimeline.svg(steps));
            scope.put("steps", StepTimeline.rows(steps));
            scope.put("hasSteps", !steps.isEmpty());
            scope.put("cost", "$" + StepTimeline.plain(job.result().get().path("cost_usd")));
            List<String> used = new ArrayList<>();
            job.result().get().path("models_used").forEach(model -> used.add(model.asText()));
            scope.put("modelsUsed", String.join(", ", used));
        } else {
            scope.put("journal", journal(pipeline, jobs.store().steps(viewer.tenant(), id)));
            scope.put("hasJournal", true);
        }
        scope.put(
                "attempts",
                jobs.store().attempts(viewer.tenant(), id).stream()
                        .map(JobPages::attempt)
                        .toList());
        Optional<String> done = request.query().first("done").asOptional();
        done.filter("replayed"::equals)
                .ifPresent(d -> scope.put("notice", "Replay queued: unfinished steps run again."));
        return Reply.ok(templates.render("job", scope));
    }

    Reply deadLetters(ServerRequest request, Viewer viewer, Form form) {
        Map<String, Object> scope = Console.layout(viewer, "dlq", "Dead letters", sources);
        scope.put("configured", sources.jobs().isPresent());
        if (sources.jobs().isPresent()) {
            Optional<String> cursor =
                    request.query().first("cursor").asOptional().filter(c -> !c.isEmpty());
            Page<DlqEntry> page = sources.jobs().get().store().deadLetters(viewer.tenant(), cursor, PAGE);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (DlqEntry entry : page.items()) {
                Map<String, Object> row = summary(entry.job());
                entry.job().lastError().ifPresent(error -> row.put("error", error(error)));
                row.put("tries", entry.attempts().size());
                rows.add(row);
            }
            scope.put("entries", rows);
            page.nextCursor().ifPresent(next -> scope.put("next", Console.PATH + "/dlq?cursor=" + encode(next)));
        }
        return Reply.ok(templates.render("dlq", scope));
    }

    Reply replay(ServerRequest request, Viewer viewer, Form form) {
        String id = request.path().pathParameters().get("id");
        JobsApi jobs = sources.jobs().orElseThrow(() -> new IllegalArgumentException("no job store is configured"));
        Optional<Job> job;
        try {
            job = jobs.store().replay(viewer.tenant(), id);
        } catch (IllegalStateException notDead) {
            throw new IllegalArgumentException(notDead.getMessage());
        }
        if (job.isEmpty()) {
            throw new IllegalArgumentException("no job with id " + id + " for tenant " + viewer.tenant());
        }
        audit.info(
                "{\"action\":\"replay\",\"by\":\"{}\",\"target\":\"job/{}\",\"at\":\"{}\",\"via\":\"console\"}",
                viewer.master() ? "master" : viewer.tenant(),
                id,
                sources.clock().instant());
        job.get().webhookUrl().ifPresent(url -> jobs.deliveries().expectAfterReplay(viewer.tenant(), id, url));
        return new Reply.Redirect(Console.PATH + "/jobs/" + encode(id) + "?done=replayed");
    }

    static Map<String, Object> summary(Job job) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", job.id());
        row.put("href", Console.PATH + "/jobs/" + encode(job.id()));
        row.put("pipeline", job.pipeline());
        row.put("status", job.status().jsonName());
        row.put("attempts", job.attempts() + " / " + job.maxAttempts());
        row.put("created", job.createdAt().toString());
        row.put("updated", job.updatedAt().toString());
        row.put("runAt", job.runAt().toString());
        row.put("finished", job.finishedAt().map(Object::toString).orElse(""));
        return row;
    }

    private static Map<String, Object> error(JobError error) {
        return Map.of(
                "kind",
                error.kind(),
                "message",
                error.message(),
                "step",
                error.step().orElse(""));
    }

    private static Map<String, Object> attempt(AttemptRecord attempt) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("number", attempt.token());
        row.put("worker", attempt.workerId());
        row.put("outcome", attempt.outcome().name().toLowerCase(Locale.ROOT));
        row.put("started", attempt.startedAt().toString());
        row.put("ended", attempt.endedAt().map(Object::toString).orElse("running"));
        row.put("error", attempt.error().map(e -> e.kind() + ": " + e.message()).orElse(""));
        return row;
    }

    /** Each step of the pipeline with whether the journal holds its output yet. */
    private static List<Map<String, Object>> journal(Optional<PipelineConfig> pipeline, List<StepRecord> records) {
        Map<String, StepRecord> byStep =
                records.stream().collect(Collectors.toMap(StepRecord::step, r -> r, (a, b) -> a));
        Set<String> names = new java.util.LinkedHashSet<>();
        pipeline.ifPresent(p -> p.steps().forEach(step -> names.add(step.name())));
        names.addAll(byStep.keySet());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : names) {
            StepRecord record = byStep.get(name);
            rows.add(Map.of(
                    "name", name,
                    "status", record == null ? "pending" : "done",
                    "recorded", record == null ? "" : record.recordedAt().toString()));
        }
        return rows;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
