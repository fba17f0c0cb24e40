package dev.pipewright.cli;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.release.ComparisonReport;
import dev.pipewright.release.Pair;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.release.ReleaseVariants;
import dev.pipewright.release.Replay;
import dev.pipewright.router.Variant;
import dev.pipewright.store.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pipewright replay NAME --from --to --version V}: runs the requests a deployment recorded in a window against a
 * version, offline, and prints the same comparison as {@code shadow report}.
 */
@Command(name = "replay", description = "Replays a window of recorded requests against a version and compares.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The deployment (its pipeline's name).")
    String name;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "INSTANT",
            description = "Start, ISO-8601 (2026-01-01T00:00:00Z).")
    Instant from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "End, ISO-8601 (default: now).")
    Instant to;

    @Option(
            names = "--version",
            required = true,
            paramLabel = "V",
            description = "stable, a candidate's name or a version hash.")
    String version;

    @Option(
            names = "--limit",
            defaultValue = "1000",
            paramLabel = "N",
            description = "At most N requests (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--no-embeddings", description = "Skip the embedding similarity (no local model load).")
    boolean noEmbeddings;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PipewrightConfig loaded = config.load();
        Optional<Variant> variant = ReleaseVariants.find(loaded, name, version);
        if (variant.isEmpty()) {
            spec.commandLine().getErr().println("no version '" + version + "' of pipeline '" + name + "'");
            return 2;
        }
        Instant end = to != null ? to : Clock.system().instant();
        try (Database database = Database.open(loaded.storage());
                Engine engine = Engine.start(loaded)) {
            List<Pair> pairs = new Replay(engine.executor(), ReleaseStore.open(database), Clock.system())
                    .replay(
                            name,
                            variant.get(),
                            ReleaseVariants.version(loaded, variant.get()),
                            from,
                            end,
                            limit,
                            System.getProperty("user.name", "cli"));
            ShadowCommand.print(
                    spec.commandLine().getOut(),
                    ComparisonReport.of(pairs, ShadowCommand.embeddings(noEmbeddings)),
                    json);
        }
        return 0;
    }
}
