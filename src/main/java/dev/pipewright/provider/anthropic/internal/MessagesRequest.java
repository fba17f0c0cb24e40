package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of {@code POST /v1/messages}. System messages join into the top-level {@code system} text (the API has
 * no system role in {@code messages}); user and assistant messages keep their order as content blocks. Images go as
 * {@code base64} sources when given as {@code data:} URLs and as {@code url} sources when given as {@code https:}
 * URLs, which Anthropic fetches itself, so Pipewright makes no request to the address and no forgery check applies
 * here. Tools go as client tools with their {@code input_schema}; tool calls as {@code tool_use} blocks and their
 * results as {@code tool_result} blocks. {@code max_tokens}, which the API requires, is {@link #DEFAULT_MAX_TOKENS} when the request sets none.
 */
public final class MessagesRequest {
    /** The answer length asked for when a request names none: enough for a paragraph-sized answer. */
    public static final int DEFAULT_MAX_TOKENS = 1024;

    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private MessagesRequest() {}

    /** The JSON body; a content part the API cannot take is an {@link ModelError.InvalidRequest}. */
    public static byte[] body(ModelRequest.Chat request, String model, boolean stream) {
        if (!request.providerFields().isEmpty()) {
            throw invalid("the OpenAI fields "
                    + new TreeSet<>(request.providerFields().keySet())
                    + " have no Messages API counterpart here; send them to an OpenAI-compatible model");
        }
        ObjectNode body = WireJson.MAPPER.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", request.maxTokens().orElse(DEFAULT_MAX_TOKENS));
        List<String> system = new ArrayList<>();
        ArrayNode messages = WireJson.MAPPER.createArrayNode();
        for (ChatMessage message : request.messages()) {
            switch (message.role()) {
                case SYSTEM -> system.add(systemText(message));
                case USER -> messages.add(turn("user", message));
                case ASSISTANT -> messages.add(turn("assistant", message));
            }
        }
        if (!system.isEmpty()) {
            body.put("system", String.join("\n\n", system));
        }
        body.set("messages", messages);
        request.temperature().ifPresent(temperature -> body.put("temperature", temperature));
        tools(request, body);
        if (stream) {
            body.put("stream", true);
        }
        try {
            return WireJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static String systemText(ChatMessage message) {
        for (ContentPart part : message.content()) {
            if (part instanceof ContentPart.Image) {
                throw invalid("a system message takes text only, but it held an image");
            }
        }
        return message.text();
    }

    /**
     * The tools as client tools, and the tool choice when there are tools to choose from, with
     * {@code disable_parallel_tool_use} when the request asks for one call a turn.
     */
    private static void tools(ModelRequest.Chat request, ObjectNode body) {
        if (request.tools().isEmpty()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        for (Tool tool : request.tools()) {
            ObjectNode node = tools.addObject().put("name", tool.name());
            if (!tool.description().isEmpty()) {
                node.put("description", tool.description());
            }
            node.set("input_schema", tool.parameters());
        }
        ObjectNode choice = body.putObject("tool_choice");
        switch (request.toolChoice()) {
            case ToolChoice.Auto auto -> choice.put("type", "auto");
            case ToolChoice.None none -> choice.put("type", "none");
            case ToolChoice.Required required -> choice.put("type", "any");
            case ToolChoice.Named named -> choice.put("type", "tool").put("name", named.name());
        }
        if (!request.parallelToolCalls() && !(request.toolChoice() instanceof ToolChoice.None)) {
            choice.put("disable_parallel_tool_use", true);
        }
    }

    /** A turn's content blocks; tool results go first, as the API requires of a user turn that answers tool calls. */
    private static ObjectNode turn(String role, ChatMessage message) {
        ObjectNode turn = WireJson.MAPPER.createObjectNode();
        turn.put("role", role);
        ArrayNode content = turn.putArray("content");
        ArrayNode rest = WireJson.MAPPER.createArrayNode();
        for (ContentPart part : message.content()) {
            switch (part) {
                case ContentPart.Text text ->
                    rest.addObject().put("type", "text").put("text", text.text());
                case ContentPart.Image image -> rest.add(imageBlock(image.url()));
                case ContentPart.ToolUse use ->
                    rest.addObject()
                            .put("type", "tool_use")
                            .put("id", use.call().id())
                            .put("name", use.call().name())
                            .set("input", input(use.call()));
                case ContentPart.ToolResult result -> {
                    ObjectNode block = content.addObject()
                            .put("type", "tool_result")
                            .put("tool_use_id", result.toolCallId())
                            .put("content", result.content());
                    if (result.error()) {
                        block.put("is_error", true);
                    }
                }
            }
        }
        content.addAll(rest);
        return turn;
    }

    /** A tool call's arguments as the input object the API takes; arguments that are not an object are refused. */
    private static JsonNode input(ToolCall call) {
        try {
            JsonNode input = WireJson.MAPPER.readTree(call.arguments());
            if (input != null && input.isObject()) {
                return input;
            }
        } catch (JsonProcessingException e) {
            // Refused below, naming the call.
        }
        throw invalid("the arguments of tool call " + call.id() + " to " + call.name()
                + " must be a JSON object for the Messages API, but were: " + call.arguments());
    }

    private static ObjectNode imageBlock(String url) {
        ObjectNode block = WireJson.MAPPER.createObjectNode();
        block.put("type", "image");
        ObjectNode source = block.putObject("source");
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            source.put("type", "url").put("url", url);
            return block;
        }
        if (!lower.startsWith("data:")) {
            throw invalid("an image must be an https: or data: URL, but was " + schemeOf(url));
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring("data:".length(), comma).toLowerCase(Locale.ROOT);
        if (!header.endsWith(";base64")) {
            throw invalid("an image data: URL must be base64-encoded, but its header was '" + header + "'");
        }
        String mediaType = header.substring(0, header.length() - ";base64".length());
        if (!IMAGE_TYPES.contains(mediaType)) {
            throw invalid("anthropic takes images of types "
                    + IMAGE_TYPES.stream().sorted().toList() + ", but got '" + mediaType + "'");
        }
        source.put("type", "base64").put("media_type", mediaType).put("data", url.substring(comma + 1));
        return block;
    }

    private static String schemeOf(String url) {
        int colon = url.indexOf(':');
        return colon < 0 ? "a URL without a scheme" : "a " + url.substring(0, colon) + ": URL";
    }

    private static ModelException invalid(String message) {
        return new ModelException(new ModelError.InvalidRequest(message));
    }
}
