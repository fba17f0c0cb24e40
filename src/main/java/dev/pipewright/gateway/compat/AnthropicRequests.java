package dev.pipewright.gateway.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks Anthropic Messages request bodies and turns them into model requests. As on {@link OpenAiRequests}, fields
 * are read, accepted and ignored ({@link #IGNORED}: hints that do not change the shape of a correct answer), or
 * refused because this gateway cannot honour them ({@link #UNSUPPORTED}); any other field is unknown and refused.
 * {@code max_tokens} is required, as the real API requires it.
 */
public final class AnthropicRequests {
    static final Set<String> READ =
            Set.of("model", "messages", "max_tokens", "system", "stream", "temperature", "tools", "tool_choice");
    static final Set<String> IGNORED = Set.of("metadata", "top_p", "top_k", "service_tier");
    static final Map<String, String> UNSUPPORTED = Map.of(
            "stop_sequences", "stop sequences are not supported by this gateway",
            "thinking", "extended thinking is not supported by this gateway",
            "mcp_servers", "MCP servers are not supported by this gateway",
            "container", "containers are not supported by this gateway");
    static final Set<String> BLOCK_IGNORED = Set.of("cache_control", "citations");

    private AnthropicRequests() {}

    /** @throws InvalidRequestException naming every problem found */
    public static MessagesRequest messages(JsonNode body) {
        RequestCheck check = new RequestCheck();
        check.object(body);
        check.fields(body, "", READ, IGNORED, UNSUPPORTED);
        Optional<String> model = check.string(body, "", "model", true);
        OptionalInt maxTokens = check.positiveInt(body, "", "max_tokens");
        if (maxTokens.isEmpty() && !body.has("max_tokens")) {
            check.problem("max_tokens", "required");
        }
        OptionalDouble temperature = check.number(body, "", "temperature", 0, 1);
        boolean stream = check.flag(body, "", "stream");
        List<ChatMessage> messages = new ArrayList<>();
        system(body.get("system"), check).ifPresent(messages::add);
        messages.addAll(conversation(body.get("messages"), check));
        List<Tool> tools = AnthropicTools.tools(body.get("tools"), check);
        ToolChoice toolChoice = AnthropicTools.toolChoice(body.get("tool_choice"), tools, check);
        boolean parallelToolCalls = AnthropicTools.parallelToolCalls(body.get("tool_choice"), check);
        check.throwIfAny();
        return new MessagesRequest(
                model.orElseThrow(),
                new ModelRequest.Chat(messages, maxTokens, temperature, Map.of(), tools, toolChoice, parallelToolCalls),
                stream);
    }

    private static Optional<ChatMessage> system(JsonNode system, RequestCheck check) {
        if (system == null || system.isNull()) {
            return Optional.empty();
        }
        if (system.isTextual()) {
            return system.textValue().isEmpty()
                    ? Optional.empty()
                    : Optional.of(ChatMessage.system(system.textValue()));
        }
        if (!system.isArray()) {
            check.problem(
                    "system", "expected a string or an array of text blocks, but was " + RequestCheck.kind(system));
            return Optional.empty();
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < system.size(); i++) {
            String path = RequestCheck.path("system", i);
            JsonNode block = system.get(i);
            if (!block.isObject() || !"text".equals(block.path("type").asText())) {
                check.problem(path, "expected a text block");
                continue;
            }
            check.fields(block, path, Set.of("type", "text"), BLOCK_IGNORED, Map.of());
            check.string(block, path, "text", true).map(ContentPart.Text::new).ifPresent(parts::add);
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(new ChatMessage(ChatMessage.Role.SYSTEM, parts));
    }

    private static List<ChatMessage> conversation(JsonNode messages, RequestCheck check) {
        return check.nonEmptyArray(messages, "messages", "messages", (message, path) -> message(message, path, check));
    }

    private static Optional<ChatMessage> message(JsonNode message, String path, RequestCheck check) {
        if (!message.isObject()) {
            check.problem(path, "expected a message object, but was " + RequestCheck.kind(message));
            return Optional.empty();
        }
        check.fields(message, path, Set.of("role", "content"), Set.of(), Map.of());
        Optional<ChatMessage.Role> role = check.string(message, path, "role", true)
                .flatMap(name -> switch (name) {
                    case "user" -> Optional.of(ChatMessage.Role.USER);
                    case "assistant" -> Optional.of(ChatMessage.Role.ASSISTANT);
                    default -> {
                        check.problem(
                                RequestCheck.path(path, "role"), "expected user or assistant, but was '" + name + "'");
                        yield Optional.empty();
                    }
                });
        String at = RequestCheck.path(path, "content");
        List<ContentPart> content = content(message.get("content"), at, check);
        if (role.isEmpty() || content.isEmpty() || !toolBlocksFit(role.get(), message.get("content"), at, check)) {
            return Optional.empty();
        }
        return Optional.of(new ChatMessage(role.get(), content));
    }

    /** Tool use blocks belong to assistant messages, tool result blocks to user messages. */
    private static boolean toolBlocksFit(ChatMessage.Role role, JsonNode content, String path, RequestCheck check) {
        boolean fit = true;
        for (int i = 0; content.isArray() && i < content.size(); i++) {
            String type = content.get(i).path("type").asText();
            String misplaced = role == ChatMessage.Role.ASSISTANT ? "tool_result" : "tool_use";
            if (type.equals(misplaced)) {
                check.problem(
                        RequestCheck.path(RequestCheck.path(path, i), "type"),
                        "a " + type + " block is not allowed in a"
                                + (role == ChatMessage.Role.USER ? " user" : "n assistant") + " message");
                fit = false;
            }
        }
        return fit;
    }

    private static List<ContentPart> content(JsonNode content, String path, RequestCheck check) {
        return check.textOrParts(content, path, "content blocks", (element, at) -> block(element, at, check));
    }

    private static Optional<ContentPart> block(JsonNode block, String path, RequestCheck check) {
        if (!block.isObject()) {
            check.problem(path, "expected a content block object, but was " + RequestCheck.kind(block));
            return Optional.empty();
        }
        String type = check.string(block, path, "type", true).orElse("");
        return switch (type) {
            case "text" -> {
                check.fields(block, path, Set.of("type", "text"), BLOCK_IGNORED, Map.of());
                yield check.string(block, path, "text", true).map(ContentPart.Text::new);
            }
            case "image" -> {
                check.fields(block, path, Set.of("type", "source"), BLOCK_IGNORED, Map.of());
                yield image(block.get("source"), RequestCheck.path(path, "source"), check);
            }
            case "tool_use" -> AnthropicTools.toolUse(block, path, check);
            case "tool_result" -> AnthropicTools.toolResult(block, path, check);
            case "" -> Optional.empty();
            default -> {
                check.problem(
                        RequestCheck.path(path, "type"),
                        "expected text, image, tool_use or tool_result, but was '" + type + "'");
                yield Optional.empty();
            }
        };
    }

    /** An image source as a part: base64 data becomes a {@code data:} URL, a URL source stays a URL. */
    private static Optional<ContentPart> image(JsonNode source, String path, RequestCheck check) {
        if (source == null || !source.isObject()) {
            check.problem(path, "expected an image source object");
            return Optional.empty();
        }
        String type = check.string(source, path, "type", true).orElse("");
        switch (type) {
            case "base64" -> {
                check.fields(source, path, Set.of("type", "media_type", "data"), Set.of(), Map.of());
                Optional<String> mediaType = check.string(source, path, "media_type", true);
                Optional<String> data = check.string(source, path, "data", true);
                if (mediaType.isPresent() && !mediaType.get().matches("image/(jpeg|png|gif|webp)")) {
                    check.problem(
                            RequestCheck.path(path, "media_type"),
                            "expected image/jpeg, image/png, image/gif or image/webp, but was '" + mediaType.get()
                                    + "'");
                    return Optional.empty();
                }
                return mediaType.flatMap(
                        media -> data.map(base64 -> new ContentPart.Image("data:" + media + ";base64," + base64)));
            }
            case "url" -> {
                check.fields(source, path, Set.of("type", "url"), Set.of(), Map.of());
                Optional<String> url = check.string(source, path, "url", true);
                if (url.isPresent()
                        && !url.get().startsWith("https://")
                        && !url.get().startsWith("http://")) {
                    check.problem(RequestCheck.path(path, "url"), "expected an http(s) URL");
                    return Optional.empty();
                }
                return url.map(ContentPart.Image::new);
            }
            case "" -> {
                return Optional.empty();
            }
            default -> {
                check.problem(RequestCheck.path(path, "type"), "expected base64 or url, but was '" + type + "'");
                return Optional.empty();
            }
        }
    }
}
