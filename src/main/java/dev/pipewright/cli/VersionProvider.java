package dev.pipewright.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest, which Maven writes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"pipewright " + (version == null ? "development build" : version)};
    }
}
