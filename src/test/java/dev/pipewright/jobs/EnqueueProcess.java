package dev.pipewright.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Clock;

/**
 * Enqueues one job and halts the JVM the moment the enqueue returns, as a crash right after a 202 would. Arguments:
 * {@code DB_URL TENANT PIPELINE IDEMPOTENCY_KEY}; prints the job id.
 */
public final class EnqueueProcess {
    private EnqueueProcess() {}

    public static void main(String[] args) {
        JobStore store = JobStores.open(TestDatabases.open(args[0]), Clock.system());
        Job job = store.enqueue(JobSubmission.of(
                                args[1],
                                args[2],
                                new ObjectMapper().createObjectNode().put("text", "crash"))
                        .withIdempotencyKey(args[3]))
                .job();
        System.out.println(job.id());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
