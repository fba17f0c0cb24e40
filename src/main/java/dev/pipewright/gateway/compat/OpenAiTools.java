package dev.pipewright.gateway.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The tool fields of an OpenAI chat request: {@code tools}, {@code tool_choice} and an assistant's {@code tool_calls}. */
final class OpenAiTools {
    private OpenAiTools() {}

    /** {@code tools}: function tools, each with a name, an optional description and a parameters schema. */
    static List<Tool> tools(JsonNode tools, RequestCheck check) {
        return ToolArray.read(tools, check, OpenAiTools::tool);
    }

    private static Optional<Tool> tool(JsonNode tool, String path, List<Tool> earlier, RequestCheck check) {
        check.fields(tool, path, Set.of("type", "function"), Set.of(), Map.of());
        String type = check.string(tool, path, "type", true).orElse("function");
        if (!type.equals("function")) {
            check.problem(RequestCheck.path(path, "type"), "expected 'function', but was '" + type + "'");
            return Optional.empty();
        }
        JsonNode function = tool.get("function");
        String at = RequestCheck.path(path, "function");
        if (function == null || !function.isObject()) {
            check.problem(
                    at, function == null ? "required" : "expected an object, but was " + RequestCheck.kind(function));
            return Optional.empty();
        }
        check.fields(function, at, Set.of("name", "description", "parameters"), Set.of("strict"), Map.of());
        Optional<String> name = ToolSchemas.name(function, at, "name", check);
        String description = check.string(function, at, "description", false).orElse("");
        Optional<JsonNode> parameters = ToolSchemas.parameters(function, at, "parameters", check);
        if (name.isEmpty()
                || parameters.isEmpty()
                || !ToolSchemas.unique(name.get(), earlier, RequestCheck.path(at, "name"), check)) {
            return Optional.empty();
        }
        return Optional.of(new Tool(name.get(), description, parameters.get()));
    }

    /** {@code tool_choice}: none, auto, required, or {@code {"type": "function", "function": {"name": ...}}}. */
    static ToolChoice toolChoice(JsonNode choice, List<Tool> tools, RequestCheck check) {
        if (choice == null || choice.isNull()) {
            return new ToolChoice.Auto();
        }
        if (choice.isTextual()) {
            return switch (choice.textValue()) {
                case "auto" -> new ToolChoice.Auto();
                case "none" -> new ToolChoice.None();
                case "required" -> {
                    if (tools.isEmpty()) {
                        check.problem("tool_choice", "'required' needs at least one tool in tools");
                        yield new ToolChoice.Auto();
                    }
                    yield new ToolChoice.Required();
                }
                default -> {
                    check.problem(
                            "tool_choice",
                            "expected none, auto, required or a function object, but was '" + choice.textValue() + "'");
                    yield new ToolChoice.Auto();
                }
            };
        }
        if (!choice.isObject()) {
            check.problem("tool_choice", "expected a string or an object, but was " + RequestCheck.kind(choice));
            return new ToolChoice.Auto();
        }
        check.fields(choice, "tool_choice", Set.of("type", "function"), Set.of(), Map.of());
        String type = check.string(choice, "tool_choice", "type", true).orElse("");
        if (!type.equals("function")) {
            if (!type.isEmpty()) {
                check.problem("tool_choice.type", "expected 'function', but was '" + type + "'");
            }
            return new ToolChoice.Auto();
        }
        JsonNode function = choice.get("function");
        if (function == null || !function.isObject()) {
            check.problem("tool_choice.function", "expected an object with a name");
            return new ToolChoice.Auto();
        }
        check.fields(function, "tool_choice.function", Set.of("name"), Set.of(), Map.of());
        return check.string(function, "tool_choice.function", "name", true)
                .filter(name -> ToolSchemas.known(name, tools, "tool_choice.function.name", check))
                .<ToolChoice>map(ToolChoice.Named::new)
                .orElse(new ToolChoice.Auto());
    }

    /** An assistant message's {@code tool_calls}, as tool use parts. */
    static List<ContentPart> toolCalls(JsonNode calls, String path, RequestCheck check) {
        if (!calls.isArray() || calls.isEmpty()) {
            check.problem(path, "expected a non-empty array of tool calls, but was " + RequestCheck.kind(calls));
            return List.of();
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            toolCall(calls.get(i), RequestCheck.path(path, i), check).ifPresent(parts::add);
        }
        return parts;
    }

    private static Optional<ContentPart> toolCall(JsonNode call, String path, RequestCheck check) {
        if (!call.isObject()) {
            check.problem(path, "expected a tool call object, but was " + RequestCheck.kind(call));
            return Optional.empty();
        }
        check.fields(call, path, Set.of("id", "type", "function"), Set.of(), Map.of());
        Optional<String> id = ToolSchemas.id(call, path, "id", check);
        String type = check.string(call, path, "type", true).orElse("function");
        if (!type.equals("function")) {
            check.problem(RequestCheck.path(path, "type"), "expected 'function', but was '" + type + "'");
        }
        JsonNode function = call.get("function");
        String at = RequestCheck.path(path, "function");
        if (function == null || !function.isObject()) {
            check.problem(at, "expected an object with a name and arguments");
            return Optional.empty();
        }
        check.fields(function, at, Set.of("name", "arguments"), Set.of(), Map.of());
        Optional<String> name = ToolSchemas.name(function, at, "name", check);
        Optional<String> arguments = check.string(function, at, "arguments", true);
        return ToolSchemas.call(id, name, arguments).map(ContentPart.ToolUse::new);
    }
}
