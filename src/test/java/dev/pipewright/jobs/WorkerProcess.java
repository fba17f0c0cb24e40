package dev.pipewright.jobs;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelError;
import dev.pipewright.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process for the crash tests: runs one worker on the {@link TestPipelines} against a database until it is
 * killed, logging every model call to a {@link CallLog}. Arguments: {@code DB_URL CALL_LOG WORKER_ID LEASE_MS} then
 * any of {@code slow:MODEL:MILLIS} and {@code ratelimit:MODEL:SECONDS} (the model's first call answers 429 with that
 * Retry-After).
 */
public final class WorkerProcess {
    static final Duration HEARTBEAT_SHARE = Duration.ofMillis(300);
    static final Duration POLL = Duration.ofMillis(100);

    private WorkerProcess() {}

    public static void main(String[] args) throws InterruptedException {
        Clock clock = Clock.system();
        CountingModelClient models = new CountingModelClient(clock, new CallLog(Path.of(args[1])));
        for (int i = 4; i < args.length; i++) {
            String[] option = args[i].split(":");
            switch (option[0]) {
                case "slow" -> models.slow(option[1], Duration.ofMillis(Long.parseLong(option[2])));
                case "ratelimit" ->
                    models.failNext(
                            option[1],
                            new ModelError.RateLimited(
                                    "slow down", Optional.of(Duration.ofSeconds(Long.parseLong(option[2])))));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        PipewrightConfig config = TestPipelines.config();
        Database database = TestDatabases.open(args[0]);
        JobStore store = JobStores.open(database, clock);
        WorkerSettings settings = WorkerSettings.defaults(args[2])
                .withConcurrency(4)
                .withTiming(POLL, lease, HEARTBEAT_SHARE)
                .withShutdownGrace(Duration.ofSeconds(1));
        WorkerPool pool = WorkerPool.start(
                1,
                store,
                TestPipelines.executor(config, models, clock),
                () -> config,
                clock,
                new SplittableRandom(),
                settings);
        Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
        System.err.println("worker " + args[2] + " ready");
        new CountDownLatch(1).await();
    }
}
