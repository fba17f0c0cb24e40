package dev.pipewright.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipewrightConfig;
import java.util.Map;

/** What a reload changed, section by section, and which changes only a restart applies. */
final class ConfigDiff {
    private ConfigDiff() {}

    static ObjectNode between(PipewrightConfig before, PipewrightConfig after, ObjectMapper json) {
        ObjectNode changes = json.createObjectNode();
        changes.set("providers", section(before.providers(), after.providers(), json));
        changes.set("models", section(before.models(), after.models(), json));
        changes.set("model_groups", section(before.modelGroups(), after.modelGroups(), json));
        changes.set("pipelines", section(before.pipelines(), after.pipelines(), json));
        changes.set("tenants", section(before.tenants(), after.tenants(), json));
        return changes;
    }

    /**
     * The sections whose change is recorded but not applied until the process restarts: where it listens, the
     * database, Redis and the response cache are opened once at start.
     */
    static ArrayNode needingRestart(PipewrightConfig before, PipewrightConfig after, ObjectMapper json) {
        ArrayNode sections = json.createArrayNode();
        if (!before.server().host().equals(after.server().host())
                || before.server().port() != after.server().port()) {
            sections.add("server");
        }
        if (!before.storage().equals(after.storage())) {
            sections.add("storage");
        }
        if (!before.redis().equals(after.redis())) {
            sections.add("redis");
        }
        if (!before.cache().equals(after.cache())) {
            sections.add("cache");
        }
        return sections;
    }

    /** Names of map entries added, removed or changed between two versions of a section. */
    static ObjectNode section(Map<String, ?> before, Map<String, ?> after, ObjectMapper json) {
        ObjectNode diff = json.createObjectNode();
        ArrayNode added = diff.putArray("added");
        ArrayNode removed = diff.putArray("removed");
        ArrayNode changed = diff.putArray("changed");
        after.forEach((name, value) -> {
            if (!before.containsKey(name)) {
                added.add(name);
            } else if (!before.get(name).equals(value)) {
                changed.add(name);
            }
        });
        before.keySet().stream().filter(name -> !after.containsKey(name)).forEach(removed::add);
        return diff;
    }
}
