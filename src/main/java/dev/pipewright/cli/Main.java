package dev.pipewright.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pipewright} command line. */
@Command(
        name = "pipewright",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs multi-model AI pipelines in production.",
        subcommands = {
            ServeCommand.class,
            RunCommand.class,
            SimulateCommand.class,
            ValidateCommand.class,
            TrainClassifierCommand.class,
            JobsCommand.class,
            DlqCommand.class,
            KeysCommand.class,
            EvalCommand.class,
            ShadowCommand.class,
            ReplayCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
