package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
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
 * here. {@code max_tokens}, which the API requires, is {@link #DEFAULT_MAX_TOKENS} when the request sets none.
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

    private static ObjectNode turn(String role, ChatMessage message) {
        ObjectNode turn = WireJson.MAPPER.createObjectNode();
        turn.put("role", role);
        ArrayNode content = turn.putArray("content");
        for (ContentPart part : message.content()) {
            switch (part) {
                case ContentPart.Text text ->
                    content.addObject().put("type", "text").put("text", text.text());
                case ContentPart.Image image -> content.add(imageBlock(image.url()));
            }
        }
        return turn;
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
