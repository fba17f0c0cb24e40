package dev.pipewright.cli;

import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.JobRunListener;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.jobs.WorkerSettings;
import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The database of {@code storage.url} with its job store, and the workers a role runs on them. */
final class JobBackend implements AutoCloseable {
    private final Database database;
    private final JobStore store;
    private final Clock clock;

    private JobBackend(Database database, JobStore store, Clock clock) {
        this.database = database;
        this.store = store;
        this.clock = clock;
    }

    /** Opens the database and brings the job tables up to date. */
    static JobBackend open(StorageConfig storage, Clock clock) {
        Database database = Database.open(storage);
        try {
            return new JobBackend(database, JobStores.open(database, clock), clock);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    Database database() {
        return database;
    }

    JobStore store() {
        return store;
    }

    /**
     * Starts {@code count} workers, each running up to {@code concurrency} jobs, named after this process so that
     * the attempt history tells the processes apart. Each job is pinned to the configuration generation current when
     * its attempt starts.
     */
    WorkerPool startWorkers(Engine engine, int count, int concurrency) {
        return startWorkers(engine, count, concurrency, JobRunListener.NONE);
    }

    /** As above, telling {@code runs} of every job attempt that ran its pipeline. */
    WorkerPool startWorkers(Engine engine, int count, int concurrency, JobRunListener runs) {
        String process = "worker-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 4);
        return WorkerPool.start(
                count,
                store,
                engine.executor(),
                engine::config,
                clock,
                () -> ThreadLocalRandom.current().nextLong(),
                WorkerSettings.defaults(process)
                        .withConcurrency(concurrency)
                        .withShutdownGrace(engine.config().server().drainTimeout()),
                engine.telemetry().tracing().tracer(),
                // Each job runs on the generation it was claimed under, with its clients held until it ends.
                () -> engine.pin()::close,
                runs);
    }

    @Override
    public void close() {
        database.close();
    }
}
