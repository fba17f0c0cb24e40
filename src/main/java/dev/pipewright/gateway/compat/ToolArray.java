package dev.pipewright.gateway.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code tools} array of a request, read the same way in both wire formats; only a tool's own shape differs. */
final class ToolArray {
    private ToolArray() {}

    /** Reads one tool object at {@code path}; {@code earlier} are the tools read before it, to refuse a repeated name. */
    @FunctionalInterface
    interface ToolReader {
        Optional<Tool> read(JsonNode tool, String path, List<Tool> earlier, RequestCheck check);
    }

    /** Every tool of {@code tools} (absent or null: none); each problem goes to {@code check} with its path. */
    static List<Tool> read(JsonNode tools, RequestCheck check, ToolReader reader) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            check.problem("tools", "expected an array of tools, but was " + RequestCheck.kind(tools));
            return List.of();
        }
        List<Tool> result = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String path = RequestCheck.path("tools", i);
            if (!tool.isObject()) {
                check.problem(path, "expected a tool object, but was " + RequestCheck.kind(tool));
                continue;
            }
            reader.read(tool, path, result, check).ifPresent(result::add);
        }
        return result;
    }
}
