package dev.pipewright.provider.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.Json;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolChoice;
import dev.pipewright.provider.simulated.internal.ToolTurn;

/**
 * How a simulated model uses tools, the same in process and over both wire formats: asked with tools after a user
 * message, it calls one (the named one, else the first) with arguments that hold each required property of the
 * tool's schema, filled by the property's type; handed a tool's result, it answers with text that quotes it. The
 * same request always gives the same call id and arguments.
 */
final class SimulatedTools {
    private static final ObjectMapper JSON = Json.mapper();

    private SimulatedTools() {}

    /** What the model does about tools in its answer to {@code request}. */
    static ToolTurn turn(ModelRequest.Chat request) {
        ChatMessage last = request.messages().getLast();
        if (last.role() != ChatMessage.Role.USER) {
            return new ToolTurn.None();
        }
        for (ContentPart part : last.content()) {
            if (part instanceof ContentPart.ToolResult result) {
                return new ToolTurn.QuoteResult(result.content());
            }
        }
        if (request.tools().isEmpty()) {
            return new ToolTurn.None();
        }
        Tool tool = request.tools().getFirst();
        switch (request.toolChoice()) {
            case ToolChoice.None none -> {
                return new ToolTurn.None();
            }
            case ToolChoice.Named named -> {
                tool = request.tools().stream()
                        .filter(candidate -> candidate.name().equals(named.name()))
                        .findFirst()
                        .orElse(tool);
            }
            case ToolChoice.Auto auto -> {}
            case ToolChoice.Required required -> {}
        }
        return new ToolTurn.CallTool(tool.name(), tool.parameters());
    }

    /** The arguments' JSON: each required property of {@code schema}, a sample value of its type. */
    static String arguments(JsonNode schema) {
        ObjectNode arguments = JSON.createObjectNode();
        for (JsonNode required : schema.path("required")) {
            String name = required.asText();
            JsonNode property = schema.path("properties").path(name);
            JsonNode values = property.path("enum");
            if (values.isArray() && !values.isEmpty()) {
                arguments.set(name, values.get(0));
                continue;
            }
            switch (property.path("type").asText("string")) {
                case "integer" -> arguments.put(name, 1);
                case "number" -> arguments.put(name, 1.5);
                case "boolean" -> arguments.put(name, true);
                case "array" -> arguments.putArray(name);
                case "object" -> arguments.putObject(name);
                default -> arguments.put(name, "sample " + name);
            }
        }
        return arguments.toString();
    }

    /** A call id seeded by the tool and the conversation, with the provider's prefix ({@code call_}, {@code toolu_}). */
    static String callId(String prefix, String tool, String prompt) {
        long hash = SimulatedContent.hash(tool + "\n" + prompt);
        return prefix + "sim" + Long.toHexString(SimulatedContent.mix(hash));
    }

    /** The answer that quotes a tool's result. */
    static String quote(String result) {
        return "The tool answered: " + result;
    }
}
