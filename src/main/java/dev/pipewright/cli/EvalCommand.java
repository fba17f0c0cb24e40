package dev.pipewright.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pipewright.config.DeploymentConfig;
import dev.pipewright.config.EvalThresholds;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StepConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.provider.local.LocalEmbedder;
import dev.pipewright.release.EvalRecord;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.release.ReleaseVariants;
import dev.pipewright.release.eval.EvalDataset;
import dev.pipewright.release.eval.EvalItem;
import dev.pipewright.release.eval.EvalReport;
import dev.pipewright.release.eval.Evaluation;
import dev.pipewright.router.Variant;
import dev.pipewright.store.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pipewright eval}: scores a version of a pipeline on a dataset, stores the result for the promotion gate, and
 * exits 1 when a threshold is not met (2 when the command cannot run), so it can be a CI step.
 */
@Command(
        name = "eval",
        description = "Scores a pipeline version on a JSON Lines dataset; exits 1 below the thresholds.")
final class EvalCommand implements Callable<Integer> {
    private static final Pattern NUMBER = Pattern.compile("(\\d+(?:\\.\\d+)?)");

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Option(names = "--pipeline", required = true, paramLabel = "P", description = "The deployed pipeline.")
    String pipeline;

    @Option(
            names = "--version",
            defaultValue = "stable",
            paramLabel = "V",
            description = "stable (default), a candidate's name or a version hash.")
    String version;

    @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "One JSON object per line.")
    Path dataset;

    @Option(
            names = "--min",
            paramLabel = "SCORER=MIN",
            description = "A minimum score, over the deployment's eval thresholds (repeatable): exact_match=0.9.")
    Map<String, Double> minimums = new LinkedHashMap<>();

    @Option(names = "--judge", paramLabel = "MODEL", description = "A chat model alias that judges each answer.")
    String judge;

    @Option(names = "--no-store", description = "Do not store the result (it then does not count for promotion).")
    boolean noStore;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PipewrightConfig loaded = config.load();
        Optional<Variant> variant = ReleaseVariants.find(loaded, pipeline, version);
        if (variant.isEmpty()) {
            err.println("no version '" + version + "' of pipeline '" + pipeline + "'; known: "
                    + String.join(
                            ", ",
                            ReleaseVariants.all(loaded, pipeline).stream()
                                    .map(Variant::name)
                                    .toList()));
            return 2;
        }
        if (judge != null && !loaded.models().containsKey(judge)) {
            err.println("--judge: unknown model '" + judge + "'");
            return 2;
        }
        EvalThresholds thresholds;
        try {
            thresholds = thresholds(loaded);
        } catch (IllegalArgumentException bad) {
            err.println("--min: " + bad.getMessage());
            return 2;
        }
        List<EvalItem> items;
        try {
            items = EvalDataset.read(dataset);
        } catch (IllegalArgumentException bad) {
            err.println(bad.getMessage());
            return 2;
        }
        String resolved = ReleaseVariants.version(loaded, variant.get());
        EvalReport report;
        try (Engine engine = Engine.start(loaded)) {
            boolean references =
                    items.stream().anyMatch(item -> item.reference().isPresent());
            Optional<Function<String, float[]>> embed =
                    references ? Optional.of(new LocalEmbedder()::embed) : Optional.empty();
            Evaluation evaluation = new Evaluation(
                    input -> PipelineResultJson.results(
                            engine.executor().run(variant.get().pipeline(), input, context(variant.get()))),
                    embed,
                    Optional.ofNullable(judge).map(model -> judgeWith(engine, model)));
            report = evaluation.evaluate(items, thresholds);
        } catch (IllegalArgumentException bad) {
            err.println(bad.getMessage());
            return 2;
        }
        print(out, variant.get(), resolved, report);
        if (!noStore) {
            try (Database database = Database.open(loaded.storage())) {
                ReleaseStore.open(database)
                        .eval(new EvalRecord(
                                pipeline,
                                variant.get().name(),
                                resolved,
                                Clock.system().instant(),
                                dataset.getFileName().toString(),
                                report.items(),
                                report.passed(),
                                report.scoresJson().toString()));
            }
        }
        return report.passed() ? 0 : 1;
    }

    private EvalThresholds thresholds(PipewrightConfig loaded) {
        Map<String, Double> merged =
                new LinkedHashMap<>(Optional.ofNullable(loaded.deployments().get(pipeline))
                        .map(DeploymentConfig::eval)
                        .orElse(EvalThresholds.NONE)
                        .minimums());
        merged.putAll(minimums);
        return new EvalThresholds(merged);
    }

    private static RunContext context(Variant variant) {
        return RunContext.of("eval-" + UUID.randomUUID(), "eval").withVariant("eval:" + variant.name());
    }

    /** The judge as a one-step pipeline on the judge model, so its calls take the one model-call path (and cost). */
    private static Evaluation.Judge judgeWith(Engine engine, String model) {
        PipelineConfig judgePipeline = new PipelineConfig(
                "eval-judge",
                Duration.ofSeconds(120),
                List.of(new StepConfig(
                        "score",
                        model,
                        List.of(),
                        Optional.of("You grade answers. Reply with one number from 0 (useless) to 10 (perfect)."),
                        Optional.of("{{input.prompt}}"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        OptionalInt.of(8),
                        OptionalDouble.of(0))),
                Map.of("score", "score"));
        return (input, answer, reference) -> {
            String prompt = "Request: " + input + "\nAnswer: " + answer
                    + reference.map(text -> "\nReference answer: " + text).orElse("")
                    + "\nScore from 0 to 10:";
            PipelineResult result = engine.executor()
                    .run(
                            judgePipeline,
                            JsonNodeFactory.instance.objectNode().put("prompt", prompt),
                            RunContext.of("judge-" + UUID.randomUUID(), "eval"));
            Matcher number = NUMBER.matcher(result.results().get("score").asText());
            return number.find() ? Double.parseDouble(number.group(1)) / 10 : 0;
        };
    }

    private void print(PrintWriter out, Variant variant, String resolved, EvalReport report) {
        out.printf(
                Locale.ROOT,
                "%s %s (%s) on %s: %d items, %d failed runs%n",
                pipeline,
                variant.name(),
                resolved,
                dataset.getFileName(),
                report.items(),
                report.failedRuns());
        report.scores()
                .forEach((scorer, score) ->
                        out.printf(Locale.ROOT, "  %-21s %.3f over %d items%n", scorer, score.mean(), score.count()));
        for (EvalReport.Verdict verdict : report.verdicts()) {
            out.printf(
                    Locale.ROOT,
                    "  %-4s %s %s >= %.3f%n",
                    verdict.met() ? "ok" : "FAIL",
                    verdict.scorer(),
                    verdict.mean().isPresent()
                            ? String.format(Locale.ROOT, "%.3f", verdict.mean().getAsDouble())
                            : "(no item carries it)",
                    verdict.minimum());
        }
        out.println(report.passed() ? "passed" : "failed");
        out.flush();
    }
}
