package dev.pipewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.jobs.view.JobView;
import dev.pipewright.model.Clock;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;

/**
 * {@code run PIPELINE --input DIR --queue}: every input becomes a durable job, keyed by the hash of its path and
 * content, run by workers in this process; the run waits for every job and writes one JSON line per input, in input
 * order. Run it again after Ctrl-C or {@code kill -9} and the same keys find the same jobs: finished ones are only
 * written out, the one interrupted mid-way resumes from its journal once its lease runs out, and none is processed
 * twice.
 */
final class QueuedRun {
    static final String TENANT = "default";
    private static final Duration POLL = Duration.ofMillis(100);

    /** An input and its job, or why it has none. */
    private record Submitted(QueuedInputs.Item item, Optional<String> jobId) {}

    private final PipelineConfig pipeline;
    private final ObjectMapper json;
    private final Clock clock;

    QueuedRun(PipelineConfig pipeline, ObjectMapper json, Clock clock) {
        this.pipeline = pipeline;
        this.json = json;
        this.clock = clock;
    }

    /** Submits {@code items}, waits for their jobs and writes their lines; true when every input succeeded. */
    boolean run(JobStore store, WorkerPool workers, List<QueuedInputs.Item> items, Writer out, ProgressBar progress)
            throws IOException, InterruptedException {
        List<Submitted> submitted = new ArrayList<>();
        for (QueuedInputs.Item item : items) {
            submitted.add(
                    new Submitted(item, item.problem() == null ? Optional.of(submit(store, item)) : Optional.empty()));
        }
        workers.wake();
        boolean allSucceeded = true;
        for (Submitted entry : submitted) {
            ObjectNode line = entry.jobId().isPresent()
                    ? lineOf(entry.item(), awaitEnd(store, entry.jobId().get()))
                    : error(entry.item(), "invalid-input", entry.item().problem());
            allSucceeded &= !line.has("error");
            out.write(json.writeValueAsString(line));
            out.write('\n');
            out.flush();
            progress.step();
        }
        return allSucceeded;
    }

    private String submit(JobStore store, QueuedInputs.Item item) {
        JobSubmission submission =
                JobSubmission.of(TENANT, pipeline.name(), item.input()).withIdempotencyKey(item.idempotencyKey());
        return store.enqueue(submission).job().id();
    }

    private Job awaitEnd(JobStore store, String jobId) throws InterruptedException {
        while (true) {
            Job job = store.find(TENANT, jobId)
                    .orElseThrow(() -> new IllegalStateException("job " + jobId + " disappeared from the store"));
            if (job.status().isFinal()) {
                return job;
            }
            clock.sleep(POLL);
        }
    }

    private ObjectNode lineOf(QueuedInputs.Item item, Job job) {
        if (job.status() == JobStatus.SUCCEEDED) {
            JsonNode result = job.result().orElseGet(json::createObjectNode);
            ObjectNode line =
                    json.createObjectNode().put(item.refKind(), item.ref()).put("job_id", job.id());
            line.setAll(
                    result.isObject()
                            ? (ObjectNode) result
                            : json.createObjectNode().set("result", result));
            return line;
        }
        ObjectNode line = error(
                item,
                job.status().jsonName(),
                job.lastError()
                        .map(error -> error.message())
                        .orElse("the job ended as " + job.status().jsonName()));
        line.put("job_id", job.id());
        job.lastError().ifPresent(error -> line.set("last_error", JobView.error(error)));
        return line;
    }

    private ObjectNode error(QueuedInputs.Item item, String type, String detail) {
        ObjectNode line = json.createObjectNode().put(item.refKind(), item.ref());
        line.putObject("error").put("type", type).put("detail", detail);
        return line;
    }
}
