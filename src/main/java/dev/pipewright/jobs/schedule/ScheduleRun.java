package dev.pipewright.jobs.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of a schedule: the fire time it ran for, what triggered it, where it is ({@code claimed} while its jobs
 * are being queued, then {@code enqueued}, {@code skipped} or {@code failed}), which replica ran it, and the jobs it
 * queued.
 */
public record ScheduleRun(
        String schedule,
        Instant fireTime,
        String trigger,
        String status,
        String claimedBy,
        Instant claimedAt,
        Optional<Instant> finishedAt,
        int jobs,
        List<String> jobIds,
        int problems,
        Optional<String> error) {
    public ScheduleRun {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(fireTime, "fireTime");
        jobIds = List.copyOf(jobIds);
    }
}
