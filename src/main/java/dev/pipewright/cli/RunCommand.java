package dev.pipewright.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.jobs.documents.DocumentText;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Json;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineInputException;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.pipeline.RunContext;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pipewright run PIPELINE --input FILE|DIR}: runs a pipeline over every input, a bounded number at a time,
 * and writes one JSON result per input in input order. A failed input yields an error line and the batch goes on;
 * the exit code is 1 when any input failed.
 */
@Command(name = "run", description = "Runs a pipeline over a JSON-lines file or a folder of files.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "The pipeline to run.")
    String pipelineName;

    @Option(
            names = {"-i", "--input"},
            required = true,
            paramLabel = "FILE|DIR",
            description = "JSON lines, or a folder.")
    Path input;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "FILE",
            description = "Write results here instead of stdout.")
    Path out;

    @Option(names = "--concurrency", defaultValue = "16", description = "Runs in flight at once (default: 16).")
    int concurrency;

    @Option(
            names = "--queue",
            description = "Run every input as a durable job (folders: each file's text read by Tika); running the"
                    + " same command again resumes, skipping finished inputs.")
    boolean queue;

    private final ObjectMapper json = Json.mapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (concurrency < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--concurrency must be at least 1, but was " + concurrency);
        }
        if (!Files.exists(input)) {
            throw new ParameterException(spec.commandLine(), "--input: no such file or folder: " + input);
        }
        PipewrightConfig loaded = config.load();
        PipelineConfig pipeline = loaded.pipelines().get(pipelineName);
        if (pipeline == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "no pipeline named '" + pipelineName + "'; known: "
                            + String.join(", ", loaded.pipelines().keySet()));
        }
        if (queue) {
            return runQueued(loaded, pipeline);
        }
        BatchInputs inputs = new BatchInputs(input, json);
        try (Engine engine = Engine.start(loaded);
                Writer writer = writer();
                ProgressBar progress = progressBar(inputs.count());
                ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor()) {
            Batch batch = new Batch(
                    engine.executor(), pipeline, PipelineVersion.of(pipeline, loaded::model), writer, progress);
            for (BatchInputs.Item item : inputs) {
                batch.submit(runs, item);
            }
            return batch.finish() ? 0 : 1;
        }
    }

    private int runQueued(PipewrightConfig loaded, PipelineConfig pipeline) throws IOException, InterruptedException {
        List<QueuedInputs.Item> items = QueuedInputs.read(input, json, DocumentText.withDefaultLimits());
        try (Engine engine = Engine.start(loaded);
                JobBackend jobs = JobBackend.open(loaded.storage(), Clock.system());
                WorkerPool workers = jobs.startWorkers(engine, 1, concurrency);
                Writer writer = writer();
                ProgressBar progress = progressBar(items.size())) {
            // On Ctrl-C the workers finish their jobs or give them back, so the next run takes them up at once.
            Thread giveBack = new Thread(workers::close, "pipewright-run-stop");
            Runtime.getRuntime().addShutdownHook(giveBack);
            try {
                return new QueuedRun(pipeline, json, Clock.system()).run(jobs.store(), workers, items, writer, progress)
                        ? 0
                        : 1;
            } finally {
                removeHook(giveBack);
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is stopping and the hook is running or has run: nothing is left to remove.
        }
    }

    private Writer writer() throws IOException {
        return out == null ? spec.commandLine().getOut() : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
    }

    private ProgressBar progressBar(long total) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(pipelineName)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200);
        if (System.console() == null) {
            builder.setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(line -> {}));
        }
        return builder.build();
    }

    /** The runs in flight, written out strictly in submission order as each head finishes. */
    private final class Batch {
        private final PipelineExecutor executor;
        private final PipelineConfig pipeline;
        private final String version;
        private final Writer writer;
        private final ProgressBar progress;
        private final Deque<Future<ObjectNode>> pending = new ArrayDeque<>();
        private boolean allSucceeded = true;

        Batch(PipelineExecutor executor, PipelineConfig pipeline, String version, Writer writer, ProgressBar progress) {
            this.executor = executor;
            this.version = version;
            this.pipeline = pipeline;
            this.writer = writer;
            this.progress = progress;
        }

        void submit(ExecutorService runs, BatchInputs.Item item) throws IOException, InterruptedException {
            while (pending.size() >= concurrency) {
                writeHead();
            }
            pending.add(runs.submit(() -> runOne(item)));
            while (!pending.isEmpty() && pending.peek().isDone()) {
                writeHead();
            }
        }

        boolean finish() throws IOException, InterruptedException {
            while (!pending.isEmpty()) {
                writeHead();
            }
            writer.flush();
            return allSucceeded;
        }

        private void writeHead() throws IOException, InterruptedException {
            ObjectNode line;
            try {
                line = pending.remove().get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a batch run failed unexpectedly", e.getCause());
            }
            allSucceeded &= !line.has("error");
            writer.write(json.writeValueAsString(line));
            writer.write('\n');
            progress.step();
        }

        private ObjectNode runOne(BatchInputs.Item item) {
            if (item.problem() != null) {
                return error(item, "invalid-input", item.problem());
            }
            String requestId = "run_" + UUID.randomUUID().toString().replace("-", "");
            try {
                ObjectNode result = PipelineResultJson.toJson(
                        executor.run(pipeline, item.input(), RunContext.of(requestId, "default")), version);
                result.put(item.refKind(), item.ref());
                return result;
            } catch (PipelineInputException e) {
                return error(item, "invalid-input", e.getMessage());
            } catch (PipelineFailedException e) {
                return error(item, e.deadlineExceeded() ? "deadline-exceeded" : "model-failed", e.getMessage());
            }
        }

        private ObjectNode error(BatchInputs.Item item, String type, String detail) {
            ObjectNode line = json.createObjectNode().put(item.refKind(), item.ref());
            line.putObject("error").put("type", type).put("detail", detail);
            return line;
        }
    }
}
