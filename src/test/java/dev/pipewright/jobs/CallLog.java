package dev.pipewright.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every model call started, one line per call holding its idempotency key ({@code jobId:step}), appended to a file
 * so that calls made by worker processes that were killed are still counted. Thread safe within a process; lines
 * from several processes are appended whole (each is one short write in append mode).
 */
final class CallLog {
    private final Path file;

    CallLog(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    synchronized void record(String idempotencyKey) {
        try {
            Files.writeString(
                    file,
                    idempotencyKey + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often each idempotency key was called. */
    Map<String, Long> counts() {
        return lines().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    long count(String jobId, String step) {
        return counts().getOrDefault(jobId + ":" + step, 0L);
    }

    List<String> lines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
