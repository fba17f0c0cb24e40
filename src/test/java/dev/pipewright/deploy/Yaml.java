package dev.pipewright.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads the deployment files as plain maps and lists. SnakeYAML (under Jackson's YAML module) rather than Jackson,
 * because Compose files use YAML merge keys ({@code <<: *anchor}), which only SnakeYAML's loader resolves.
 */
final class Yaml {
    private Yaml() {}

    static Map<String, Object> load(Path file) {
        List<Map<String, Object>> documents = loadAll(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one document, found " + documents.size());
        }
        return documents.getFirst();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> loadAll(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new org.yaml.snakeyaml.Yaml(new LoaderOptions()).loadAll(text)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    /** The value at a dotted path of map keys, or null when any step is missing. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String path) {
        Object current = node;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return (T) current;
    }

    static Map<String, Object> map(Object node, String path) {
        Map<String, Object> value = at(node, path);
        return value == null ? Map.of() : value;
    }

    static List<Map<String, Object>> maps(Object node, String path) {
        List<Map<String, Object>> value = at(node, path);
        return value == null ? List.of() : value;
    }

    static String text(Object node, String path) {
        Object value = at(node, path);
        return value == null ? null : Objects.toString(value);
    }
}
