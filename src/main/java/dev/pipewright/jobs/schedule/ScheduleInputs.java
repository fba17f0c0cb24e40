package dev.pipewright.jobs.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.ScheduleConfig;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads the inputs of one run of a schedule. */
@FunctionalInterface
public interface ScheduleInputs {

    /**
     * The inputs of the run of {@code schedule} for {@code fireTime}; for a folder, only the files changed since
     * {@code since} (every file when empty). Each input carries the idempotency key of its job, so that a run taken
     * over after a crash, or a file seen by two runs, queues its job once.
     */
    List<Item> read(ScheduleConfig schedule, Instant fireTime, Optional<Instant> since) throws IOException;

    /** One job's input and its idempotency key, or why the source could not be read as one. */
    record Item(String ref, String idempotencyKey, Optional<JsonNode> input, Optional<String> problem) {}
}
