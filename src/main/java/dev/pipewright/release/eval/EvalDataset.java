package dev.pipewright.release.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a JSON Lines dataset of {@link EvalItem}s; every problem names its line. */
public final class EvalDataset {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Set<String> FIELDS =
            Set.of("input", "output", "expected", "contains", "schema", "label", "reference");

    private EvalDataset() {}

    /** @throws IllegalArgumentException listing every bad line */
    public static List<EvalItem> read(Path file) throws IOException {
        List<EvalItem> items = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                items.add(item(index + 1, JSON.readTree(line)));
            } catch (IOException | IllegalArgumentException bad) {
                problems.add(file.getFileName() + ":" + (index + 1) + ": " + message(bad));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(file + " has no items; write one JSON object per line");
        }
        return items;
    }

    private static EvalItem item(int line, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object like {\"input\": {...}, \"expected\": ...}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; allowed: "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        JsonNode input = node.get("input");
        if (input == null || !input.isObject()) {
            throw new IllegalArgumentException("input: expected a JSON object with the pipeline's inputs");
        }
        List<String> contains = new ArrayList<>();
        JsonNode containsNode = node.get("contains");
        if (containsNode != null) {
            if (containsNode.isTextual()) {
                contains.add(containsNode.textValue());
            } else if (containsNode.isArray()) {
                containsNode.forEach(element -> contains.add(text(element, "contains[]")));
            } else {
                throw new IllegalArgumentException("contains: expected a string or a list of strings");
            }
        }
        JsonNode schema = node.get("schema");
        if (schema != null && !schema.isObject()) {
            throw new IllegalArgumentException("schema: expected a JSON Schema object");
        }
        return new EvalItem(
                line,
                input,
                optionalText(node, "output"),
                optionalText(node, "expected"),
                contains,
                Optional.ofNullable(schema),
                optionalText(node, "label"),
                optionalText(node, "reference"));
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(text(value, field));
    }

    private static String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + ": expected a string");
        }
        return value.textValue();
    }

    private static String message(Exception bad) {
        return bad instanceof IOException
                ? "not JSON: " + bad.getMessage().lines().findFirst().orElse("")
                : bad.getMessage();
    }
}
