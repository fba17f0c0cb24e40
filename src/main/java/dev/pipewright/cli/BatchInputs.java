package dev.pipewright.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * The inputs of a batch run, read lazily so a large file is never held in memory: a JSON-lines file gives one input
 * per non-blank line; a folder gives one input per regular file, {@code {"text": CONTENT, "file": NAME}}, in name
 * order. A line or file that cannot be read as an input becomes an item that carries the problem instead.
 */
final class BatchInputs implements Iterable<BatchInputs.Item> {

    /** One input, or why there is none; {@code ref} says where it came from ({@code line 3}, {@code file a.txt}). */
    record Item(String refKind, String ref, JsonNode input, String problem) {}

    private final Path source;
    private final ObjectMapper json;

    BatchInputs(Path source, ObjectMapper json) {
        this.source = source;
        this.json = json;
    }

    long count() throws IOException {
        if (Files.isDirectory(source)) {
            return files().size();
        }
        try (Stream<String> lines = Files.lines(source, StandardCharsets.UTF_8)) {
            return lines.filter(line -> !line.isBlank()).count();
        }
    }

    @Override
    public Iterator<Item> iterator() {
        try {
            return Files.isDirectory(source) ? fileItems(files().iterator()) : lineItems();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> entries = Files.list(source)) {
            return entries.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private Iterator<Item> fileItems(Iterator<Path> files) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return files.hasNext();
            }

            @Override
            public Item next() {
                Path file = files.next();
                String name = file.getFileName().toString();
                try {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    return new Item(
                            "file",
                            name,
                            json.createObjectNode().put("text", text).put("file", name),
                            null);
                } catch (MalformedInputException e) {
                    return new Item("file", name, null, "not UTF-8 text");
                } catch (IOException e) {
                    return new Item("file", name, null, "unreadable: " + e.getMessage());
                }
            }
        };
    }

    private Iterator<Item> lineItems() throws IOException {
        BufferedReader reader = Files.newBufferedReader(source, StandardCharsets.UTF_8);
        return new Iterator<>() {
            private int lineNumber;
            private String nextLine = advance();

            private String advance() {
                try {
                    String line;
                    do {
                        line = reader.readLine();
                        lineNumber++;
                    } while (line != null && line.isBlank());
                    if (line == null) {
                        reader.close();
                    }
                    return line;
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + source + " at line " + lineNumber, e);
                }
            }

            @Override
            public boolean hasNext() {
                return nextLine != null;
            }

            @Override
            public Item next() {
                if (nextLine == null) {
                    throw new NoSuchElementException();
                }
                Item item = parse(String.valueOf(lineNumber), nextLine);
                nextLine = advance();
                return item;
            }
        };
    }

    private Item parse(String line, String text) {
        try {
            JsonNode input = json.readTree(text);
            if (!input.isObject()) {
                return new Item("line", line, null, "expected a JSON object, but was " + input.getNodeType());
            }
            return new Item("line", line, input, null);
        } catch (JsonProcessingException e) {
            return new Item("line", line, null, "not valid JSON: " + e.getOriginalMessage());
        }
    }
}
