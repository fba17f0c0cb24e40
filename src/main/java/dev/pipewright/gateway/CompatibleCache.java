package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.cache.CacheDirectives;
import dev.pipewright.cache.CacheKey;
import dev.pipewright.cache.CacheLookup;
import dev.pipewright.cache.CacheOutcome;
import dev.pipewright.cache.CachedResponse;
import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.gateway.auth.Tenants;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.Json;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.ToolChoice;
import dev.pipewright.model.Usage;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The response cache of the compatible chat routes. A request is keyed on the tenant scope, the model it asked for
 * and its normalised chat (messages with their tool calls and results, output limit, temperature, provider fields,
 * tools and tool choice), the same whichever wire format it
 * came in, so an OpenAI request and an Anthropic one that ask the same thing share an entry. What is stored is the
 * model's answer (not a wire body) with its tool calls, so a hit can be served as JSON or replayed as an event stream
 * in either format.
 *
 * <p>Only deterministic requests are cached: a request whose {@code temperature} is above 0 asks for a sampled answer,
 * and replaying one sample to every caller would quietly change what it asked for, so it bypasses the cache (the
 * header says {@code bypass}). A request without a temperature is cached: the client left sampling to the model's
 * default and accepts any one answer. Thread safe.
 */
final class CompatibleCache {
    static final HeaderName HEADER = HeaderNames.create(CacheOutcome.HEADER);

    private static final ObjectMapper MAPPER = Json.mapper();

    private final ResponseCaching caching;

    CompatibleCache(ResponseCaching caching) {
        this.caching = caching;
    }

    /** The cache's part in one chat request; sets the outcome header on {@code response}. */
    CacheLookup lookup(ServerRequest request, ServerResponse response, String requested, ModelRequest.Chat chat) {
        CacheDirectives directives = CacheDirectives.parse(request.headers().first(HeaderNames.CACHE_CONTROL));
        boolean sampled = chat.temperature().isPresent() && chat.temperature().getAsDouble() > 0;
        CacheLookup lookup = caching.lookup(
                Tenants.of(request).name(),
                CacheKey.modelTarget(requested),
                () -> normalised(chat),
                sampled ? new CacheDirectives(true, true) : directives);
        lookup.outcome().headerValue().ifPresent(value -> response.header(HEADER, value));
        return lookup;
    }

    /** The stored answer of a hit, as the result of a call that took no time and made no attempt. */
    static Optional<ModelResult> hit(CacheLookup lookup) {
        return lookup.cached().map(CompatibleCache::read);
    }

    /** Stores a successful, complete chat answer; anything else is not stored. */
    static void store(CacheLookup lookup, ModelResult result) {
        if (lookup.storing() && result.response() instanceof ModelResponse.Chat answer) {
            ObjectNode node = MAPPER.createObjectNode()
                    .put("answered_by", result.answeredBy())
                    .put("provider_model", result.providerModel())
                    .put("model", answer.model())
                    .put("text", answer.text())
                    .put("finish_reason", answer.finishReason());
            ArrayNode calls = node.putArray("tool_calls");
            answer.toolCalls().forEach(call -> calls.add(toolCall(call)));
            node.putObject("usage")
                    .put("input", answer.usage().inputTokens())
                    .put("output", answer.usage().outputTokens())
                    .put("cached_input", answer.usage().cachedInputTokens());
            try {
                lookup.store(new CachedResponse("application/json", MAPPER.writeValueAsBytes(node)));
            } catch (IOException e) {
                throw new IllegalStateException("a JSON tree always serialises", e);
            }
        }
    }

    private static ModelResult read(CachedResponse cached) {
        try {
            JsonNode node = MAPPER.readTree(cached.body());
            JsonNode usage = node.path("usage");
            ModelResponse.Chat answer = new ModelResponse.Chat(
                    node.path("model").asText(),
                    node.path("text").asText(),
                    node.path("finish_reason").asText(),
                    new Usage(
                            usage.path("input").asLong(),
                            usage.path("output").asLong(),
                            usage.path("cached_input").asLong()),
                    toolCalls(node.path("tool_calls")));
            return new ModelResult(
                    answer,
                    node.path("answered_by").asText(),
                    node.path("provider_model").asText(),
                    List.of(),
                    Duration.ZERO);
        } catch (IOException e) {
            throw new IllegalStateException("a cached answer is JSON this class wrote", e);
        }
    }

    private static ObjectNode toolCall(ToolCall call) {
        return MAPPER.createObjectNode()
                .put("id", call.id())
                .put("name", call.name())
                .put("arguments", call.arguments());
    }

    private static List<ToolCall> toolCalls(JsonNode calls) {
        List<ToolCall> result = new ArrayList<>();
        for (JsonNode call : calls) {
            result.add(new ToolCall(
                    call.path("id").asText(),
                    call.path("name").asText(),
                    call.path("arguments").asText()));
        }
        return result;
    }

    /** The fields of a chat that decide its answer, in one canonical form. */
    static JsonNode normalised(ModelRequest.Chat chat) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode messages = node.putArray("messages");
        for (ChatMessage message : chat.messages()) {
            ObjectNode entry = messages.addObject().put("role", message.role().name());
            ArrayNode parts = entry.putArray("content");
            for (ContentPart part : message.content()) {
                switch (part) {
                    case ContentPart.Text text -> parts.addObject().put("text", text.text());
                    case ContentPart.Image image -> parts.addObject().put("image", image.url());
                    case ContentPart.ToolUse use -> parts.addObject().set("tool_call", toolCall(use.call()));
                    case ContentPart.ToolResult result ->
                        parts.addObject()
                                .putObject("tool_result")
                                .put("id", result.toolCallId())
                                .put("content", result.content())
                                .put("error", result.error());
                }
            }
        }
        ArrayNode tools = node.putArray("tools");
        for (Tool tool : chat.tools()) {
            tools.addObject()
                    .put("name", tool.name())
                    .put("description", tool.description())
                    .set("parameters", tool.parameters());
        }
        node.put(
                "tool_choice",
                switch (chat.toolChoice()) {
                    case ToolChoice.Auto auto -> "auto";
                    case ToolChoice.None none -> "none";
                    case ToolChoice.Required required -> "required";
                    case ToolChoice.Named named -> "tool:" + named.name();
                });
        node.put("parallel_tool_calls", chat.parallelToolCalls());
        chat.maxTokens().ifPresent(max -> node.put("max_tokens", max));
        chat.temperature().ifPresent(temperature -> node.put("temperature", temperature));
        ObjectNode fields = node.putObject("provider_fields");
        new TreeMap<>(chat.providerFields()).forEach(fields::set);
        return node;
    }
}
