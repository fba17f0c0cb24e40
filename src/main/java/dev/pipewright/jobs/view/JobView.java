package dev.pipewright.jobs.view;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.jobs.AttemptRecord;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobError;
import dev.pipewright.jobs.StepRecord;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The public JSON of a job, shared by the HTTP API, the CLI and webhook payloads: {@code {job_id, pipeline, status,
 * attempts, max_attempts, created_at, updated_at, run_at, finished_at?, idempotency_key?, variant?, result?, error?}}
 * ({@code variant}: the deployment variant chosen at submit time). The detailed form adds per-step progress from the
 * journal and the attempt history. Never shows the tenant or the webhook URL, which may carry a receiver's token in
 * its query.
 */
public final class JobView {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JobView() {}

    public static ObjectNode summary(Job job) {
        ObjectNode node = NODES.objectNode()
                .put("job_id", job.id())
                .put("pipeline", job.pipeline())
                .put("status", job.status().jsonName())
                .put("attempts", job.attempts())
                .put("max_attempts", job.maxAttempts())
                .put("created_at", job.createdAt().toString())
                .put("updated_at", job.updatedAt().toString())
                .put("run_at", job.runAt().toString());
        job.finishedAt().ifPresent(at -> node.put("finished_at", at.toString()));
        job.idempotencyKey().ifPresent(key -> node.put("idempotency_key", key));
        if (!job.variant().isEmpty()) {
            node.put("variant", job.variant());
        }
        job.result().ifPresent(result -> node.set("result", result));
        job.lastError().ifPresent(error -> node.set("error", error(error)));
        return node;
    }

    /**
     * The summary with {@code progress: {done, total}}, {@code steps: [{step, status, recorded_at?}]} (every step of
     * {@code pipelineSteps} in order, then any journaled step the pipeline no longer has) and {@code attempt_history}.
     */
    public static ObjectNode detail(
            Job job, Collection<String> pipelineSteps, List<StepRecord> journal, List<AttemptRecord> attempts) {
        ObjectNode node = summary(job);
        Set<String> names = new LinkedHashSet<>(pipelineSteps);
        journal.forEach(record -> names.add(record.step()));
        ArrayNode steps = NODES.arrayNode();
        int done = 0;
        for (String name : names) {
            ObjectNode step = steps.addObject().put("step", name);
            StepRecord record = journal.stream()
                    .filter(entry -> entry.step().equals(name))
                    .findFirst()
                    .orElse(null);
            if (record == null) {
                step.put("status", "pending");
            } else {
                done++;
                step.put("status", "done")
                        .put("recorded_at", record.recordedAt().toString());
            }
        }
        node.putObject("progress").put("done", done).put("total", names.size());
        node.set("steps", steps);
        ArrayNode history = node.putArray("attempt_history");
        for (AttemptRecord attempt : attempts) {
            ObjectNode entry = history.addObject()
                    .put("attempt", attempt.token())
                    .put("worker", attempt.workerId())
                    .put("outcome", attempt.outcome().name().toLowerCase(Locale.ROOT))
                    .put("started_at", attempt.startedAt().toString());
            attempt.endedAt().ifPresent(at -> entry.put("ended_at", at.toString()));
            attempt.error().ifPresent(error -> entry.set("error", error(error)));
        }
        return node;
    }

    public static ObjectNode error(JobError error) {
        ObjectNode node = NODES.objectNode().put("kind", error.kind()).put("message", error.message());
        error.step().ifPresent(step -> node.put("step", step));
        return node;
    }
}
