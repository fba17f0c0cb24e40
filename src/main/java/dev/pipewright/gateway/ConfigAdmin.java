package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The configuration behind {@code POST /admin/reload} and {@code GET /admin/config}. Implementations are thread safe
 * and apply one reload at a time.
 */
public interface ConfigAdmin {

    /** Reads the configuration file again and, when it is valid, applies it; {@code by} is who asked. */
    ReloadOutcome reload(String by);

    /** The running configuration and the reload history, with every key and secret left out. */
    JsonNode describe();

    /** What a reload did. */
    sealed interface ReloadOutcome {
        /** The new configuration runs; {@code summary} says what changed. */
        record Applied(JsonNode summary) implements ReloadOutcome {
            public Applied {
                Objects.requireNonNull(summary, "summary");
            }
        }

        /** The file was not valid, so the running configuration stays; {@code problems} say why. */
        record Rejected(List<String> problems) implements ReloadOutcome {
            public Rejected {
                problems = List.copyOf(problems);
                if (problems.isEmpty()) {
                    throw new IllegalArgumentException("a rejected reload needs at least one problem");
                }
            }
        }
    }
}
