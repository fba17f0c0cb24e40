package dev.pipewright.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ScheduleConfig;
import dev.pipewright.jobs.documents.DocumentExtractionException;
import dev.pipewright.jobs.documents.DocumentText;
import dev.pipewright.jobs.schedule.ScheduleInputs;
import dev.pipewright.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The inputs of scheduled runs. A folder gives one input per regular file changed since the last run, {@code
 * {"text": EXTRACTED TEXT, "file": NAME}} read by Tika, keyed by its path and content (a file seen again unchanged is
 * not queued again); a JSON-lines file gives one input per line and a fixed input one job, both keyed by the fire
 * time (each run queues them anew).
 */
final class ScheduledInputs implements ScheduleInputs {
    private final ObjectMapper json = Json.mapper();
    private final Supplier<DocumentText> documents;

    /** {@code documents} is asked for the extractor at the first folder read: loading Tika's parsers takes seconds. */
    ScheduledInputs(Supplier<DocumentText> documents) {
        this.documents = documents;
    }

    @Override
    public List<Item> read(ScheduleConfig schedule, Instant fireTime, Optional<Instant> since) throws IOException {
        String run = "schedule:" + schedule.name() + ":" + fireTime.toEpochMilli();
        return switch (schedule.input()) {
            case ScheduleConfig.Input.Fixed fixed ->
                List.of(new Item("fixed input", run, Optional.of(fixed.input()), Optional.empty()));
            case ScheduleConfig.Input.JsonLines lines -> lines(lines.file(), run);
            case ScheduleConfig.Input.Folder folder -> files(folder.path(), since);
        };
    }

    private List<Item> lines(Path file, String run) throws IOException {
        List<Item> items = new ArrayList<>();
        for (BatchInputs.Item line : new BatchInputs(file, json)) {
            items.add(new Item(
                    "line " + line.ref(),
                    run + ":line:" + line.ref(),
                    Optional.ofNullable(line.input()),
                    Optional.ofNullable(line.problem())));
        }
        return items;
    }

    private List<Item> files(Path folder, Optional<Instant> since) throws IOException {
        List<Path> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.filter(Files::isRegularFile)
                    .filter(file -> since.isEmpty() || changedSince(file, since.get()))
                    .sorted()
                    .toList();
        }
        List<Item> items = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                byte[] content = Files.readAllBytes(file);
                String key = "file:" + sha256(file.toAbsolutePath().normalize().toString(), content);
                String text = documents.get().extract(file).text();
                items.add(new Item(
                        "file " + name,
                        key,
                        Optional.of(json.createObjectNode().put("text", text).put("file", name)),
                        Optional.empty()));
            } catch (IOException | DocumentExtractionException unreadable) {
                items.add(new Item("file " + name, "", Optional.empty(), Optional.of(unreadable.getMessage())));
            }
        }
        return items;
    }

    private static boolean changedSince(Path file, Instant since) {
        try {
            return !Files.getLastModifiedTime(file).toInstant().isBefore(since);
        } catch (IOException unreadable) {
            return true;
        }
    }

    private static String sha256(String path, byte[] content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(path.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            return HexFormat.of().formatHex(digest.digest(content));
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-256 is unavailable in this JVM", missing);
        }
    }
}
