package dev.pipewright.cli;

import dev.pipewright.config.PipewrightConfig;
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
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(40);

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
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Closed in reverse: the gateway stops taking requests, then workers finish or give back their jobs.
        try (Engine engine = Engine.start(role.configOf(loaded));
                JobBackend jobs = role == Role.MODEL ? null : JobBackend.open(loaded.storage(), Clock.system());
                WorkerPool pool = role.runsWorkers() ? jobs.startWorkers(engine, workers, jobsPerWorker) : null;
                // Webhooks are delivered where the workers run; the gateway only registers them with their jobs.
                WebhookBackend webhooks = jobs == null
                        ? null
                        : role.runsWorkers()
                                ? WebhookBackend.open(jobs, engine::config, Clock.system())
                                        .deliverInBackground()
                                : WebhookBackend.open(jobs, engine::config, Clock.system());
                // Deployments are served, observed and analysed where the gateway runs.
                ReleaseBackend releases =
                        jobs != null && role.servesHttp() ? ReleaseBackend.start(jobs.database(), engine) : null;
                HttpFront server = role.servesHttp()
                        ? HttpFront.start(
                                engine,
                                Optional.ofNullable(webhooks).map(WebhookBackend::jobsApi),
                                releases == null ? ReleaseParts.NONE : releases.parts(),
                                config.file,
                                spec.commandLine().getErr(),
                                listenHost,
                                listenPort)
                        : null) {
            engine.warmUp();
            if (jobs != null) {
                engine.telemetry().observeQueue(new StoreQueueGauges(jobs.store(), Clock.system()));
            }
            // The hook waits for the close below, so that on SIGTERM workers finish or give back their jobs before
            // the JVM halts.
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> stopThenAwait(stopped, closed), "pipewright-shutdown"));
            log.info(
                    "pipewright {} with {} pipelines from {}: {}{}",
                    role.name().toLowerCase(Locale.ROOT),
                    loaded.pipelines().size(),
                    config.file,
                    server == null ? "no HTTP" : "serving on http://" + listenHost + ":" + server.port(),
                    pool == null ? ", no workers" : ", " + workers + " workers × " + jobsPerWorker + " jobs");
            stopped.await();
        } finally {
            closed.countDown();
        }
        return 0;
    }

    private static void stopThenAwait(CountDownLatch stopped, CountDownLatch closed) {
        stopped.countDown();
        try {
            closed.await(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
