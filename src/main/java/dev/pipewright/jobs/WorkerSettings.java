package dev.pipewright.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Worker} claims and runs jobs. {@code concurrency} jobs run at once, each on its own virtual thread;
 * an idle worker polls the store every {@code pollInterval} (or sooner when an enqueue in this process wakes it). A
 * claim holds the job for {@code lease}, renewed every {@code heartbeat}, so a dead worker's job is taken over within
 * {@code lease + pollInterval}. On stop, running jobs get {@code shutdownGrace} to finish before their leases are
 * given back.
 */
public record WorkerSettings(
        String workerId,
        int concurrency,
        Duration pollInterval,
        Duration lease,
        Duration heartbeat,
        Duration shutdownGrace,
        RetryBackoff backoff) {

    public WorkerSettings {
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("a worker needs an id, but was '" + workerId + "'");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("a worker runs at least 1 job at a time, but was " + concurrency);
        }
        requirePositive("pollInterval", pollInterval);
        requirePositive("lease", lease);
        requirePositive("heartbeat", heartbeat);
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(backoff, "backoff");
        if (heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException(
                    "the heartbeat (" + heartbeat + ") must come well within the lease (" + lease + ")");
        }
    }

    /** Defaults: 8 jobs at a time, 500 ms polls, a 30 s lease renewed every 10 s, 20 s to finish on stop. */
    public static WorkerSettings defaults(String workerId) {
        return new WorkerSettings(
                workerId,
                8,
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                RetryBackoff.DEFAULT);
    }

    public WorkerSettings withConcurrency(int jobs) {
        return new WorkerSettings(workerId, jobs, pollInterval, lease, heartbeat, shutdownGrace, backoff);
    }

    public WorkerSettings withTiming(Duration poll, Duration leaseFor, Duration heartbeatEvery) {
        return new WorkerSettings(workerId, concurrency, poll, leaseFor, heartbeatEvery, shutdownGrace, backoff);
    }

    public WorkerSettings withBackoff(RetryBackoff retryBackoff) {
        return new WorkerSettings(workerId, concurrency, pollInterval, lease, heartbeat, shutdownGrace, retryBackoff);
    }

    public WorkerSettings withShutdownGrace(Duration grace) {
        return new WorkerSettings(workerId, concurrency, pollInterval, lease, heartbeat, grace, backoff);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || !value.isPositive()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
    }
}
