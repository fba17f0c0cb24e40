package dev.pipewright.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs on the test class path, for tests where a process dies: started with their output in a file, killed
 * with SIGKILL, paused and resumed with SIGSTOP and SIGCONT. Every process started is killed by {@link #close()}.
 */
final class ChildProcesses implements AutoCloseable {
    private final Path folder;
    private final List<Process> started = new ArrayList<>();

    ChildProcesses(Path folder) {
        this.folder = folder;
    }

    /** Starts {@code main} with {@code args}; its stdout and stderr go to {@code NAME.log} in the folder. */
    Process start(String name, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + WorkerProcess.class.getResource("/logback.xml"),
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-Xshare:auto",
                main.getName()));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log(name).toFile())
                    .start();
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path log(String name) {
        return folder.resolve(name + ".log");
    }

    String output(String name) {
        try {
            return Files.exists(log(name)) ? Files.readString(log(name)) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the process ends at once, with no shutdown hook and nothing flushed. */
    static void kill9(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    static void pause(Process process) {
        signal(process, "STOP");
    }

    static void resume(Process process) {
        signal(process, "CONT");
    }

    private static void signal(Process process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + process.pid(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : started) {
            if (process.isAlive()) {
                resume(process);
                kill9(process);
            }
        }
    }
}
