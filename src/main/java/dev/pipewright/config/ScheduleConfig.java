package dev.pipewright.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A scheduled pipeline ({@code schedules.NAME}): at each fire time of {@code cron} in {@code zone}, the jobs of
 * {@code input} are queued as batch jobs of {@code tenant}. A fire time that passed while no replica ran is skipped
 * or run once ({@code missed}).
 */
public record ScheduleConfig(
        String name, Cron cron, ZoneId zone, String pipeline, String tenant, Input input, MissedFires missed) {

    public ScheduleConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(missed, "missed");
    }

    /** What one run queues. */
    public sealed interface Input {
        /** One job per file of the folder new or changed since the last run, its text read by Tika. */
        record Folder(Path path) implements Input {}

        /** One job per line of a JSON-lines file. */
        record JsonLines(Path file) implements Input {}

        /** One job with this input. */
        record Fixed(JsonNode input) implements Input {}
    }

    /** What happens to fire times that passed while no replica was running. */
    public enum MissedFires {
        /** They are recorded as skipped; the schedule waits for its next fire time. */
        SKIP,
        /** The latest of them runs once, at start. */
        RUN_ONCE
    }
}
