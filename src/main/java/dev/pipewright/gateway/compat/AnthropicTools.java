package dev.pipewright.gateway.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolChoice;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tool fields of an Anthropic Messages request: {@code tools} (client tools; Anthropic's server tools are
 * refused, as no model behind this gateway runs them), {@code tool_choice}, and the {@code tool_use} and
 * {@code tool_result} content blocks.
 */
final class AnthropicTools {
    private AnthropicTools() {}

    static List<Tool> tools(JsonNode tools, RequestCheck check) {
        return ToolArray.read(tools, check, AnthropicTools::tool);
    }

    private static Optional<Tool> tool(JsonNode tool, String path, List<Tool> earlier, RequestCheck check) {
        String type = check.string(tool, path, "type", false).orElse("custom");
        if (!type.equals("custom")) {
            check.problem(
                    RequestCheck.path(path, "type"),
                    "only client tools (type custom) are supported; server tools such as '" + type
                            + "' are not run by this gateway");
            return Optional.empty();
        }
        check.fields(
                tool, path, Set.of("type", "name", "description", "input_schema"), Set.of("cache_control"), Map.of());
        Optional<String> name = ToolSchemas.name(tool, path, "name", check);
        String description = check.string(tool, path, "description", false).orElse("");
        if (!tool.has("input_schema")) {
            check.problem(RequestCheck.path(path, "input_schema"), "required");
            return Optional.empty();
        }
        Optional<JsonNode> schema = ToolSchemas.parameters(tool, path, "input_schema", check);
        if (name.isEmpty()
                || schema.isEmpty()
                || !ToolSchemas.unique(name.get(), earlier, RequestCheck.path(path, "name"), check)) {
            return Optional.empty();
        }
        return Optional.of(new Tool(name.get(), description, schema.get()));
    }

    /** {@code tool_choice}: {@code {"type": auto | any | none | tool, "name": ...}}. */
    static ToolChoice toolChoice(JsonNode choice, List<Tool> tools, RequestCheck check) {
        if (choice == null || choice.isNull()) {
            return new ToolChoice.Auto();
        }
        if (!choice.isObject()) {
            check.problem("tool_choice", "expected an object with a type, but was " + RequestCheck.kind(choice));
            return new ToolChoice.Auto();
        }
        String type = check.string(choice, "tool_choice", "type", true).orElse("");
        Set<String> read = type.equals("tool")
                ? Set.of("type", "name", "disable_parallel_tool_use")
                : Set.of("type", "disable_parallel_tool_use");
        check.fields(choice, "tool_choice", read, Set.of(), Map.of());
        return switch (type) {
            case "auto" -> new ToolChoice.Auto();
            case "none" -> new ToolChoice.None();
            case "any" -> {
                if (tools.isEmpty()) {
                    check.problem("tool_choice.type", "'any' needs at least one tool in tools");
                    yield new ToolChoice.Auto();
                }
                yield new ToolChoice.Required();
            }
            case "tool" ->
                check.string(choice, "tool_choice", "name", true)
                        .filter(name -> ToolSchemas.known(name, tools, "tool_choice.name", check))
                        .<ToolChoice>map(ToolChoice.Named::new)
                        .orElse(new ToolChoice.Auto());
            case "" -> new ToolChoice.Auto();
            default -> {
                check.problem("tool_choice.type", "expected auto, any, tool or none, but was '" + type + "'");
                yield new ToolChoice.Auto();
            }
        };
    }

    /** Whether the model may call several tools in a turn: unless {@code tool_choice.disable_parallel_tool_use}. */
    static boolean parallelToolCalls(JsonNode choice, RequestCheck check) {
        return choice == null || !choice.isObject() || !check.flag(choice, "tool_choice", "disable_parallel_tool_use");
    }

    /** A {@code tool_use} block: the call's id, the tool's name and its input object. */
    static Optional<ContentPart> toolUse(JsonNode block, String path, RequestCheck check) {
        check.fields(block, path, Set.of("type", "id", "name", "input"), AnthropicRequests.BLOCK_IGNORED, Map.of());
        Optional<String> id = ToolSchemas.id(block, path, "id", check);
        Optional<String> name = ToolSchemas.name(block, path, "name", check);
        JsonNode input = block.get("input");
        Optional<String> arguments = Optional.empty();
        if (input == null || !input.isObject()) {
            check.problem(
                    RequestCheck.path(path, "input"),
                    input == null ? "required" : "expected an object, but was " + RequestCheck.kind(input));
        } else {
            arguments = Optional.of(input.toString());
        }
        return ToolSchemas.call(id, name, arguments).map(ContentPart.ToolUse::new);
    }

    /** A {@code tool_result} block: the call it answers, and its content as a string or text blocks. */
    static Optional<ContentPart> toolResult(JsonNode block, String path, RequestCheck check) {
        check.fields(
                block,
                path,
                Set.of("type", "tool_use_id", "content", "is_error"),
                AnthropicRequests.BLOCK_IGNORED,
                Map.of());
        Optional<String> id = ToolSchemas.id(block, path, "tool_use_id", check);
        boolean error = check.flag(block, path, "is_error");
        Optional<String> content = resultContent(block.get("content"), RequestCheck.path(path, "content"), check);
        if (id.isEmpty() || content.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ContentPart.ToolResult(id.get(), content.get(), error));
    }

    private static Optional<String> resultContent(JsonNode content, String path, RequestCheck check) {
        if (content == null || content.isNull()) {
            return Optional.of("");
        }
        if (content.isTextual()) {
            return Optional.of(content.textValue());
        }
        if (!content.isArray()) {
            check.problem(path, "expected a string or an array of text blocks, but was " + RequestCheck.kind(content));
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode item = content.get(i);
            String at = RequestCheck.path(path, i);
            if (!item.isObject() || !"text".equals(item.path("type").asText())) {
                check.problem(at, "expected a text block; only text tool results are supported");
                continue;
            }
            check.fields(item, at, Set.of("type", "text"), AnthropicRequests.BLOCK_IGNORED, Map.of());
            check.string(item, at, "text", true).ifPresent(text::append);
        }
        return Optional.of(text.toString());
    }
}
