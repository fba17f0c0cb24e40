package dev.pipewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.ConfigException;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.ConfigAdmin;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration file into the {@link Engine}: the whole file is validated first, and only a valid one is
 * swapped in; an invalid one leaves the running configuration untouched and its problems are answered and logged.
 * Each reload is recorded (when, by whom, the file's SHA-256, what changed) and written to the audit log. One reload
 * runs at a time, whichever of the admin route, SIGHUP or the file watch asked for it.
 */
final class ConfigReloads implements ConfigAdmin {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloads.class);
    private static final Logger audit = LoggerFactory.getLogger("pipewright.audit");
    private static final int HISTORY = 20;

    private final Engine engine;
    private final Path file;
    private final UnaryOperator<PipewrightConfig> view;
    private final Clock clock;
    private final ObjectMapper json = Json.builder().build();
    private final Deque<ObjectNode> history = new ArrayDeque<>();
    private String sha256;

    /**
     * @param view what this process runs of a configuration (a model service keeps only its local models)
     */
    ConfigReloads(Engine engine, Path file, UnaryOperator<PipewrightConfig> view, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.file = Objects.requireNonNull(file, "file");
        this.view = Objects.requireNonNull(view, "view");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sha256 = read().map(ConfigReloads::sha256).orElse("");
    }

    @Override
    public synchronized ReloadOutcome reload(String by) {
        Instant at = clock.instant();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException unreadable) {
            return reject(by, at, List.of(file + ": cannot be read: " + unreadable.getMessage()));
        }
        PipewrightConfig next;
        try {
            next = view.apply(ConfigLoader.parse(new String(bytes, StandardCharsets.UTF_8), file.toString()));
        } catch (ConfigException invalid) {
            return reject(
                    by, at, invalid.problems().stream().map(Object::toString).toList());
        }
        PipewrightConfig previous = engine.generation().config();
        Generation before = engine.generation();
        Generation generation = engine.swap(next);
        sha256 = sha256(bytes);
        ObjectNode summary = json.createObjectNode()
                .put("generation", generation.number())
                .put("at", at.toString())
                .put("by", by)
                .put("sha256", sha256)
                .put("outcome", "applied");
        summary.set("changes", ConfigDiff.between(previous, next, json));
        summary.put("clients_kept", generation.clientsKeptFrom(before));
        summary.set("restart_required", ConfigDiff.needingRestart(previous, next, json));
        remember(summary);
        audit("reload", by, at, "applied");
        log.info("configuration reloaded from {} by {}: generation {}, {}", file, by, generation.number(), summary);
        return new ReloadOutcome.Applied(summary);
    }

    /** Reloads unless the file's content is the one running (a watch sees touches and rewrites of the same text). */
    synchronized void reloadIfChanged(String by) {
        boolean same = read().map(ConfigReloads::sha256).filter(sha256::equals).isPresent();
        if (!same) {
            reload(by);
        }
    }

    private ReloadOutcome reject(String by, Instant at, List<String> problems) {
        ObjectNode record =
                json.createObjectNode().put("at", at.toString()).put("by", by).put("outcome", "rejected");
        ArrayNode list = record.putArray("problems");
        problems.forEach(list::add);
        remember(record);
        audit("reload", by, at, "rejected");
        log.warn("configuration reload by {} rejected, the running configuration stays: {}", by, problems);
        return new ReloadOutcome.Rejected(problems);
    }

    private void audit(String action, String by, Instant at, String outcome) {
        ObjectNode line = json.createObjectNode()
                .put("action", action)
                .put("by", by)
                .put("target", file.toString())
                .put("at", at.toString())
                .put("outcome", outcome);
        audit.info("{}", line);
    }

    private void remember(ObjectNode record) {
        history.addFirst(record);
        while (history.size() > HISTORY) {
            history.removeLast();
        }
    }

    @Override
    public synchronized JsonNode describe() {
        Generation generation = engine.generation();
        ObjectNode body = json.createObjectNode()
                .put("generation", generation.number())
                .put("file", file.toString())
                .put("sha256", sha256);
        body.set("config", RedactedConfig.of(generation.config(), json));
        ArrayNode reloads = body.putArray("reloads");
        history.forEach(reloads::add);
        return body;
    }

    /** The recorded reloads, newest first. */
    synchronized List<JsonNode> history() {
        return new ArrayList<>(history);
    }

    private Optional<byte[]> read() {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
