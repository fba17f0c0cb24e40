package dev.pipewright.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.Clock;
import dev.pipewright.provider.local.LocalEmbedder;
import dev.pipewright.release.ComparisonReport;
import dev.pipewright.release.Pair;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.store.Database;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipewright shadow report NAME}: compares the shadow outputs of a deployment's candidate with the live ones. */
@Command(
        name = "shadow",
        description = "Shadow traffic of deployments.",
        subcommands = {ShadowCommand.Report.class})
final class ShadowCommand {

    @Command(name = "report", description = "Compares the stored shadow pairs of a deployment.")
    static final class Report implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The deployment (its pipeline's name).")
        String name;

        @Option(
                names = "--since",
                defaultValue = "PT24H",
                paramLabel = "DURATION",
                description = "How far back, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration since;

        @Option(names = "--limit", defaultValue = "10000", paramLabel = "N", description = "At most N pairs.")
        int limit;

        @Option(names = "--no-embeddings", description = "Skip the embedding similarity (no local model load).")
        boolean noEmbeddings;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        public Integer call() {
            Instant now = Clock.system().instant();
            try (Database database = Database.open(config.load().storage())) {
                List<Pair> pairs = ReleaseStore.open(database)
                        .pairs(name, Pair.SHADOW, now.minus(since), now.plusSeconds(1), limit);
                print(spec.commandLine().getOut(), ComparisonReport.of(pairs, embeddings(noEmbeddings)), json);
            }
            return 0;
        }
    }

    static Optional<Function<String, float[]>> embeddings(boolean skip) {
        return skip ? Optional.empty() : Optional.of(new LocalEmbedder()::embed);
    }

    static void print(PrintWriter out, ObjectNode report, boolean json) {
        out.print(json ? report.toPrettyString() + System.lineSeparator() : ComparisonReport.text(report));
        out.flush();
    }
}
