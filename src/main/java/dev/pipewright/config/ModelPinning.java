package dev.pipewright.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether a provider model name is pinned, that is, cannot silently change meaning. {@code latest}, names
 * ending {@code -latest} or {@code :latest} (an Ollama tag), and the floating aliases of the shipped alias table are
 * not; every other name, such as {@code text-embedding-3-small} or a self-hosted model, is pinned as it is.
 */
final class ModelPinning {
    static final String ALIAS_TABLE = "model-aliases.yaml";

    private static final ModelPinning SHIPPED = new ModelPinning(readShippedTable());

    private final Map<String, String> snapshots;

    /** @param snapshots floating alias (lower-case) to the dated snapshot to use instead */
    ModelPinning(Map<String, String> snapshots) {
        this.snapshots = Map.copyOf(snapshots);
    }

    static ModelPinning shipped() {
        return SHIPPED;
    }

    /** Why {@code model} is not pinned, naming the snapshot to use when the table knows it; empty when pinned. */
    Optional<String> problemWith(String model) {
        String key = model.toLowerCase(Locale.ROOT);
        String snapshot = snapshots.get(key);
        if (snapshot != null) {
            return Optional.of("'" + model + "' is a floating alias; pin a dated snapshot such as '" + snapshot + "'");
        }
        if (key.endsWith(":latest")) {
            return Optional.of("'" + model + "' is a floating tag; pin a fixed tag or digest of the model");
        }
        if (key.equals("latest") || key.endsWith("-latest")) {
            return Optional.of("'" + model + "' is a floating alias; pin a dated snapshot");
        }
        return Optional.empty();
    }

    private static Map<String, String> readShippedTable() {
        try (InputStream table = ModelPinning.class.getResourceAsStream(ALIAS_TABLE)) {
            if (table == null) {
                throw new IllegalStateException("the alias table " + ALIAS_TABLE + " is missing from the classpath");
            }
            JsonNode aliases =
                    new ObjectMapper(new YAMLFactory()).readTree(table).path("aliases");
            return aliases.properties().stream()
                    .collect(Collectors.toMap(
                            entry -> entry.getKey().toLowerCase(Locale.ROOT),
                            entry -> entry.getValue().asText()));
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read the alias table " + ALIAS_TABLE, unreadable);
        }
    }
}
