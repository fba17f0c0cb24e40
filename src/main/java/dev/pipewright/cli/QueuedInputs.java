package dev.pipewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.jobs.documents.DocumentExtractionException;
import dev.pipewright.jobs.documents.DocumentText;
import dev.pipewright.jobs.documents.ExtractedDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The inputs of a queued run, each with the idempotency key that makes a second run find the first run's job: the
 * SHA-256 of the input's absolute path and its content. A folder gives one input per regular file, in name order,
 * {@code {"text": EXTRACTED TEXT, "file": NAME}}, the text read by Tika (PDF, DOCX, HTML, plain text); a JSON-lines
 * file gives one input per line. An input that cannot be read carries the problem instead.
 */
final class QueuedInputs {

    /** One input; {@code ref} says where it came from. Exactly one of {@code input} and {@code problem} is set. */
    record Item(String refKind, String ref, String idempotencyKey, JsonNode input, String problem) {}

    private QueuedInputs() {}

    static List<Item> read(Path source, ObjectMapper json, DocumentText documents) throws IOException {
        return Files.isDirectory(source) ? files(source, json, documents) : lines(source, json);
    }

    private static List<Item> files(Path folder, ObjectMapper json, DocumentText documents) throws IOException {
        List<Path> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.filter(Files::isRegularFile).sorted().toList();
        }
        List<Item> items = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException unreadable) {
                items.add(new Item("file", name, "", null, "unreadable: " + unreadable.getMessage()));
                continue;
            }
            String key = "file:" + sha256(file.toAbsolutePath().normalize().toString(), content);
            try {
                ExtractedDocument document = documents.extract(file);
                items.add(new Item(
                        "file",
                        name,
                        key,
                        json.createObjectNode().put("text", document.text()).put("file", name),
                        null));
            } catch (DocumentExtractionException failed) {
                items.add(new Item("file", name, key, null, failed.getMessage()));
            }
        }
        return items;
    }

    private static List<Item> lines(Path file, ObjectMapper json) throws IOException {
        List<Item> items = new ArrayList<>();
        String path = file.toAbsolutePath().normalize().toString();
        for (BatchInputs.Item line : new BatchInputs(file, json)) {
            String key = line.input() == null
                    ? ""
                    : "line:"
                            + sha256(
                                    path + "\n" + line.ref(),
                                    line.input().toString().getBytes(StandardCharsets.UTF_8));
            items.add(new Item(line.refKind(), line.ref(), key, line.input(), line.problem()));
        }
        return items;
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
