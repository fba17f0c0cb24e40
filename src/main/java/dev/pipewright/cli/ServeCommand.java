package dev.pipewright.cli;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.Drain;
import dev.pipewright.gateway.OpsServer;
import dev.pipewright.gateway.ReleaseParts;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.model.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipewright serve}: runs every role in one process on the embedded default. */
@Command(
        name = "serve",
        description = "Serves the HTTP API and runs the job workers; --role splits them across processes.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    /** What one process runs: everything, only the HTTP gateway, or only the job workers. */
    enum Role {
        ALL,
        GATEWAY,
        WORKER,
        /** Only the in-process models, over the OpenAI-compatible API, for a model service that scales alone. */
        MODEL;

        boolean servesHttp() {
            return this != WORKER;
        }

        boolean runsWorkers() {
            return this == ALL || this == WORKER;
        }

        PipewrightConfig configOf(PipewrightConfig config) {
            return this == MODEL ? config.onlyLocalModels() : config;
        }
    }

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: server.host).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: server.port).")
    Integer port;

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            defaultValue = "all",
            description = "all (default), gateway (HTTP only), worker (job workers only) or model (the in-process"
                    + " models over the OpenAI-compatible API).")
    Role role;

    @Option(
            names = "--ops-port",
            paramLabel = "PORT",
            description = "Also serve /health/live, /health/ready and /metrics on this port: the probes and scrapes"
                    + " of a worker, which serves no API.")
    Integer opsPort;

    @Option(
            names = "--workers",
            paramLabel = "N",
            defaultValue = "1",
            description = "Job workers in this process (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--jobs-per-worker",
            paramLabel = "N",
            defaultValue = "8",
            description = "Jobs each worker runs at once (default: ${DEFAULT-VALUE}).")
    int jobsPerWorker;

    @Override
    public Integer call() throws InterruptedException, IOException {
        PipewrightConfig loaded = config.load();
        String listenHost = host != null ? host : loaded.server().host();
        int listenPort = port != null ? port : loaded.server().port();
        Duration drainTimeout = loaded.server().drainTimeout();
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Closed in reverse: the gateway stops, workers finish or give back their jobs, the drain hooks flush what
        // is buffered, then the ledger, the database and the telemetry close.
        try (CostBackend costs = role == Role.MODEL
                        ? CostBackend.inMemory(Clock.system())
                        : CostBackend.open(loaded, Clock.system());
                Engine engine = Engine.start(role.configOf(loaded), costs);
                RuntimeOperations operations = RuntimeOperations.start(engine, config.file, role::configOf);
                JobBackend jobs = role == Role.MODEL ? null : JobBackend.open(loaded.storage(), Clock.system());
                DrainHooks hooks = new DrainHooks();
                // Deployments are served, observed and analysed where the gateway or the workers run: a job's run is
                // observed like a served one.
                ReleaseBackend releases = jobs != null && (role.servesHttp() || role.runsWorkers())
                        ? ReleaseBackend.start(jobs.database(), engine)
                        : null;
                WorkerPool pool = role.runsWorkers()
                        ? jobs.startWorkers(engine, workers, jobsPerWorker, releases.jobRuns())
                        : null;
                // Every replica with the job store checks the schedules; the store lets one run each fire time.
                ScheduleBackend schedules = jobs == null
                        ? null
                        : new ScheduleBackend(jobs, engine::config, Clock.system(), replicaName()).startTimer();
                // Webhooks are delivered where the workers run; the gateway only registers them with their jobs.
                WebhookBackend webhooks = jobs == null
                        ? null
                        : role.runsWorkers()
                                ? WebhookBackend.open(jobs, engine::config, Clock.system())
                                        .deliverInBackground(
                                                engine.telemetry().tracing().tracer())
                                : WebhookBackend.open(jobs, engine::config, Clock.system());
                HttpFront server = role.servesHttp()
                        ? HttpFront.start(
                                engine,
                                Optional.ofNullable(webhooks).map(WebhookBackend::jobsApi),
                                operations.gatewayOperations(Optional.ofNullable(schedules)),
                                role == Role.MODEL ? Optional.empty() : Optional.of(costs.api()),
                                releases == null ? ReleaseParts.NONE : releases.parts(),
                                config.file,
                                spec.commandLine().getErr(),
                                listenHost,
                                listenPort)
                        : null;
                OpsServer ops = opsPort == null
                        ? null
                        : OpsServer.start(
                                listenHost, opsPort, engine.telemetry(), engine.readiness(), operations.drain())) {
            engine.warmUp();
            if (jobs != null) {
                engine.telemetry().observeQueue(new StoreQueueGauges(jobs.store(), Clock.system()));
            }
            // SIGTERM and SIGINT drain, then the command returns and the process exits 0. Where the signals cannot
            // be handled, the shutdown hook drains instead, waiting for the close below before the JVM halts.
            Signals.on("TERM", stopped::countDown);
            Signals.on("INT", stopped::countDown);
            Duration hookGrace = drainTimeout.multipliedBy(2).plusSeconds(10);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(() -> stopThenAwait(stopped, closed, hookGrace), "pipewright-shutdown"));
            log.info(
                    "pipewright {} with {} pipelines from {}: {}{}{}",
                    role.name().toLowerCase(Locale.ROOT),
                    loaded.pipelines().size(),
                    config.file,
                    server == null ? "no HTTP" : "serving on http://" + listenHost + ":" + server.port(),
                    pool == null ? ", no workers" : ", " + workers + " workers × " + jobsPerWorker + " jobs",
                    ops == null ? "" : ", operations on port " + ops.port());
            stopped.await();
            if (schedules != null) {
                schedules.close();
            }
            drain(operations.drain(), pool, drainTimeout);
            hooks.runAll();
        } finally {
            closed.countDown();
        }
        log.info("pipewright stopped");
        return 0;
    }

    /**
     * The graceful stop: readiness turns 503 and new requests are refused, workers claim nothing more, and the
     * requests and jobs in flight get {@code timeout} to end. Requests still running then are interrupted (a stream
     * ends with an error event); jobs still running are given back to the queue without using up an attempt.
     */
    private static void drain(Drain drain, WorkerPool pool, Duration timeout) throws InterruptedException {
        log.info("stopping: draining requests and jobs in flight for up to {}", timeout);
        drain.start();
        Thread workers = pool == null
                ? null
                : Thread.ofPlatform().name("pipewright-drain-workers").start(pool::close);
        if (!drain.awaitIdle(timeout)) {
            log.warn("{} requests still running after {}; interrupting them", drain.inFlight(), timeout);
            drain.interruptInFlight();
            drain.awaitIdle(Duration.ofSeconds(5));
        }
        if (workers != null) {
            workers.join();
        }
        log.info("drained: no request in flight; jobs in flight finished or were given back to the queue");
    }

    private static String replicaName() {
        return java.net.InetAddress.getLoopbackAddress().getHostName() + "-"
                + ProcessHandle.current().pid();
    }

    private static void stopThenAwait(CountDownLatch stopped, CountDownLatch closed, Duration grace) {
        stopped.countDown();
        try {
            closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
