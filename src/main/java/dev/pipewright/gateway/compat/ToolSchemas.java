package dev.pipewright.gateway.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolCall;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What both compatible routes check alike in tool definitions and tool calls. */
final class ToolSchemas {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private ToolSchemas() {}

    /** A tool name both providers accept; a problem at {@code path} otherwise. */
    static Optional<String> name(JsonNode object, String path, String field, RequestCheck check) {
        Optional<String> name = check.string(object, path, field, true);
        if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
            check.problem(
                    RequestCheck.path(path, field),
                    "expected 1 to 64 letters, digits, '_' or '-', but was '" + name.get() + "'");
            return Optional.empty();
        }
        return name;
    }

    /** The JSON Schema of a tool's arguments: an object schema, or no arguments when it is absent. */
    static Optional<JsonNode> parameters(JsonNode object, String path, String field, RequestCheck check) {
        JsonNode schema = object.get(field);
        if (schema == null || schema.isNull()) {
            ObjectNode none = WireJson.object().put("type", "object");
            none.putObject("properties");
            return Optional.of(none);
        }
        if (!schema.isObject()) {
            check.problem(
                    RequestCheck.path(path, field),
                    "expected a JSON Schema object, but was " + RequestCheck.kind(schema));
            return Optional.empty();
        }
        JsonNode type = schema.get("type");
        if (type != null && !"object".equals(type.asText())) {
            check.problem(
                    RequestCheck.path(RequestCheck.path(path, field), "type"), "expected 'object', but was " + type);
            return Optional.empty();
        }
        return Optional.of(schema);
    }

    /** Reports a second tool of the same name; {@code tools} are those read before {@code name}. */
    static boolean unique(String name, List<Tool> tools, String path, RequestCheck check) {
        if (tools.stream().anyMatch(tool -> tool.name().equals(name))) {
            check.problem(path, "a tool named '" + name + "' was already given");
            return false;
        }
        return true;
    }

    /** Reports a tool choice that names a tool not among {@code tools}. */
    static boolean known(String name, List<Tool> tools, String path, RequestCheck check) {
        if (tools.stream().noneMatch(tool -> tool.name().equals(name))) {
            check.problem(
                    path,
                    "names the tool '" + name + "', which is not among the tools "
                            + tools.stream().map(Tool::name).toList());
            return false;
        }
        return true;
    }

    /** A tool call's id, as both routes require one. */
    static Optional<String> id(JsonNode object, String path, String field, RequestCheck check) {
        Optional<String> id = check.string(object, path, field, true);
        if (id.isPresent() && id.get().isBlank()) {
            check.problem(RequestCheck.path(path, field), "must not be blank");
            return Optional.empty();
        }
        return id;
    }

    /** The call, when all of it was read. */
    static Optional<ToolCall> call(Optional<String> id, Optional<String> name, Optional<String> arguments) {
        if (id.isEmpty() || name.isEmpty() || arguments.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ToolCall(id.get(), name.get(), arguments.get()));
    }
}
