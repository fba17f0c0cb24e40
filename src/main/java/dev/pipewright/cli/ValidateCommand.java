package dev.pipewright.cli;

import dev.pipewright.config.ConfigException;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.ConfigProblem;
import dev.pipewright.config.PipewrightConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipewright validate FILE}: prints every problem of a configuration, exiting 1 when there is any. */
@Command(name = "validate", description = "Checks a configuration file and lists every problem in it.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The configuration file to check.")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PipewrightConfig config = ConfigLoader.load(file);
            out.printf(
                    "%s: ok (%d providers, %d models, %d pipelines)%n",
                    file,
                    config.providers().size(),
                    config.models().size(),
                    config.pipelines().size());
            return 0;
        } catch (ConfigException e) {
            err.printf(
                    "%s: %d problem%s%n",
                    file, e.problems().size(), e.problems().size() == 1 ? "" : "s");
            for (ConfigProblem problem : e.problems()) {
                err.println("  " + problem);
            }
            return 1;
        }
    }
}
