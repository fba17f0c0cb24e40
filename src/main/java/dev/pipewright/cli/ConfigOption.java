package dev.pipewright.cli;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option shared by the commands that need a configuration. */
final class ConfigOption {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            defaultValue = "${env:PIPEWRIGHT_CONFIG:-pipewright.yaml}",
            description = "The configuration file (default: ${DEFAULT-VALUE}).")
    Path file;

    PipewrightConfig load() {
        return ConfigLoader.load(file);
    }
}
