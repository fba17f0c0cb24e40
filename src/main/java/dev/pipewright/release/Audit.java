package dev.pipewright.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.Json;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One JSON line per admin action on the {@code pipewright.audit} logger: action, by, target, at, reason. */
public final class Audit {
    private static final Logger log = LoggerFactory.getLogger("pipewright.audit");
    private static final ObjectMapper JSON = Json.mapper();

    private Audit() {}

    public static void write(String action, String by, String target, Instant at, String reason) {
        ObjectNode line = JSON.createObjectNode()
                .put("action", action)
                .put("by", by)
                .put("target", target)
                .put("at", at.toString())
                .put("reason", reason);
        log.info("{}", line);
    }
}
