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
 * Checks OpenAI request bodies and turns them into model requests. Fields fall in three groups: those read here;
 * documented options accepted and ignored because they do not change the shape of a correct answer
 * ({@link #CHAT_IGNORED}); and documented options refused with a 400 because ignoring them would hand the client an
 * answer it did not ask for ({@link #CHAT_UNSUPPORTED}). Any other field is unknown and refused.
 */
public final class OpenAiRequests {
    /** The most inputs one embeddings request may carry, as OpenAI limits it. */
    public static final int MAX_EMBEDDING_INPUTS = 2048;

    static final Set<String> CHAT_READ = Set.of(
            "model",
            "messages",
            "max_tokens",
            "max_completion_tokens",
            "temperature",
            "stream",
            "stream_options",
            "n",
            "response_format",
            "tools",
            "tool_choice",
            "parallel_tool_calls");
    private static final Set<String> RESPONSE_FORMATS = Set.of("text", "json_object", "json_schema");
    static final Set<String> CHAT_IGNORED = Set.of(
            "user",
            "metadata",
            "store",
            "seed",
            "top_p",
            "frequency_penalty",
            "presence_penalty",
            "logit_bias",
            "service_tier",
            "prompt_cache_key",
            "safety_identifier",
            "reasoning_effort",
            "verbosity");
    static final Map<String, String> CHAT_UNSUPPORTED = Map.ofEntries(
            Map.entry("functions", "the deprecated functions field is not supported; send tools instead"),
            Map.entry("function_call", "the deprecated function_call field is not supported; send tool_choice instead"),
            Map.entry("logprobs", "log probabilities are not supported by this gateway"),
            Map.entry("top_logprobs", "log probabilities are not supported by this gateway"),
            Map.entry("stop", "stop sequences are not supported by this gateway"),
            Map.entry("audio", "audio output is not supported by this gateway"),
            Map.entry("modalities", "output modalities are not supported by this gateway"),
            Map.entry("prediction", "predicted outputs are not supported by this gateway"),
            Map.entry("web_search_options", "web search is not supported by this gateway"));
    private static final Set<String> MESSAGE_READ = Set.of("role", "content", "tool_calls", "tool_call_id");
    private static final Set<String> MESSAGE_IGNORED = Set.of("name", "refusal");
    private static final Map<String, String> MESSAGE_UNSUPPORTED = Map.of(
            "function_call", "the deprecated function_call is not supported; send tool_calls instead",
            "audio", "audio is not supported by this gateway");

    private OpenAiRequests() {}

    /** @throws InvalidRequestException naming every problem found */
    public static ChatCompletionRequest chat(JsonNode body) {
        RequestCheck check = new RequestCheck();
        check.object(body);
        check.fields(body, "", CHAT_READ, CHAT_IGNORED, CHAT_UNSUPPORTED);
        Optional<String> model = check.string(body, "", "model", true);
        List<ChatMessage> messages = messages(body.get("messages"), check);
        OptionalInt maxTokens = check.positiveInt(body, "", "max_completion_tokens");
        OptionalInt legacyMaxTokens = check.positiveInt(body, "", "max_tokens");
        OptionalDouble temperature = check.number(body, "", "temperature", 0, 2);
        OptionalInt n = check.positiveInt(body, "", "n");
        if (n.isPresent() && n.getAsInt() != 1) {
            check.problem("n", "only 1 choice per request is supported, but was " + n.getAsInt());
        }
        boolean stream = check.flag(body, "", "stream");
        boolean includeUsage = streamOptions(body, stream, check);
        Map<String, JsonNode> providerFields = responseFormat(body, check)
                .map(format -> Map.of("response_format", format))
                .orElse(Map.of());
        List<Tool> tools = OpenAiTools.tools(body.get("tools"), check);
        ToolChoice toolChoice = OpenAiTools.toolChoice(body.get("tool_choice"), tools, check);
        boolean parallelToolCalls =
                !body.hasNonNull("parallel_tool_calls") || check.flag(body, "", "parallel_tool_calls");
        check.throwIfAny();
        ModelRequest.Chat chat = new ModelRequest.Chat(
                messages,
                maxTokens.isPresent() ? maxTokens : legacyMaxTokens,
                temperature,
                providerFields,
                tools,
                toolChoice,
                parallelToolCalls);
        return new ChatCompletionRequest(model.orElseThrow(), chat, stream, includeUsage);
    }

    /**
     * Structured output, passed through as it is to models that speak the OpenAI wire format (a model that cannot
     * honour it refuses the request); only its shape is checked here.
     */
    private static Optional<JsonNode> responseFormat(JsonNode body, RequestCheck check) {
        JsonNode format = body.get("response_format");
        if (format == null || format.isNull()) {
            return Optional.empty();
        }
        if (!format.isObject() || !RESPONSE_FORMATS.contains(format.path("type").asText())) {
            check.problem(
                    "response_format",
                    "expected an object whose type is text, json_object or json_schema, but was "
                            + RequestCheck.kind(format));
            return Optional.empty();
        }
        return Optional.of(format);
    }

    private static boolean streamOptions(JsonNode body, boolean stream, RequestCheck check) {
        JsonNode options = body.get("stream_options");
        if (options == null || options.isNull()) {
            return false;
        }
        if (!stream) {
            check.problem("stream_options", "only allowed when stream is true");
            return false;
        }
        if (!options.isObject()) {
            check.problem("stream_options", "expected an object, but was " + RequestCheck.kind(options));
            return false;
        }
        check.fields(options, "stream_options", Set.of("include_usage"), Set.of("include_obfuscation"), Map.of());
        return check.flag(options, "stream_options", "include_usage");
    }

    /**
     * The messages; consecutive {@code role: tool} messages become one user message holding their results, as the
     * results of one turn's tool calls travel together in the Messages API.
     */
    private static List<ChatMessage> messages(JsonNode messages, RequestCheck check) {
        List<ChatMessage> read =
                check.nonEmptyArray(messages, "messages", "messages", (message, path) -> message(message, path, check));
        List<ChatMessage> merged = new ArrayList<>(read.size());
        for (ChatMessage message : read) {
            int last = merged.size() - 1;
            if (last >= 0 && onlyToolResults(message) && onlyToolResults(merged.get(last))) {
                List<ContentPart> parts = new ArrayList<>(merged.get(last).content());
                parts.addAll(message.content());
                merged.set(last, new ChatMessage(ChatMessage.Role.USER, parts));
            } else {
                merged.add(message);
            }
        }
        return merged;
    }

    private static boolean onlyToolResults(ChatMessage message) {
        return message.content().stream().allMatch(ContentPart.ToolResult.class::isInstance);
    }

    private static Optional<ChatMessage> message(JsonNode message, String path, RequestCheck check) {
        if (!message.isObject()) {
            check.problem(path, "expected a message object, but was " + RequestCheck.kind(message));
            return Optional.empty();
        }
        check.fields(message, path, MESSAGE_READ, MESSAGE_IGNORED, MESSAGE_UNSUPPORTED);
        String role = check.string(message, path, "role", true).orElse("");
        return switch (role) {
            case "system", "developer" -> plain(message, path, ChatMessage.Role.SYSTEM, check);
            case "user" -> plain(message, path, ChatMessage.Role.USER, check);
            case "assistant" -> assistant(message, path, check);
            case "tool" -> toolResult(message, path, check);
            case "" -> Optional.empty();
            default -> {
                check.problem(
                        RequestCheck.path(path, "role"),
                        "expected system, developer, user, assistant or tool, but was '" + role + "'");
                yield Optional.empty();
            }
        };
    }

    private static Optional<ChatMessage> plain(
            JsonNode message, String path, ChatMessage.Role role, RequestCheck check) {
        for (String field : List.of("tool_calls", "tool_call_id")) {
            if (message.has(field)) {
                check.problem(RequestCheck.path(path, field), "only allowed in an assistant or tool message");
            }
        }
        List<ContentPart> content = content(message.get("content"), RequestCheck.path(path, "content"), check);
        return content.isEmpty() ? Optional.empty() : Optional.of(new ChatMessage(role, content));
    }

    /** An assistant message: its content (which may be null when it made tool calls), then its tool calls. */
    private static Optional<ChatMessage> assistant(JsonNode message, String path, RequestCheck check) {
        if (message.has("tool_call_id")) {
            check.problem(RequestCheck.path(path, "tool_call_id"), "only allowed in a tool message");
        }
        JsonNode calls = message.get("tool_calls");
        boolean hasCalls = calls != null && !calls.isNull();
        JsonNode content = message.get("content");
        List<ContentPart> parts = new ArrayList<>();
        if (!hasCalls || (content != null && !content.isNull())) {
            // Beside tool calls an empty text says nothing, and the Messages API refuses empty text blocks.
            content(content, RequestCheck.path(path, "content"), check).stream()
                    .filter(part -> !hasCalls
                            || !(part instanceof ContentPart.Text text
                                    && text.text().isEmpty()))
                    .forEach(parts::add);
        }
        if (hasCalls) {
            parts.addAll(OpenAiTools.toolCalls(calls, RequestCheck.path(path, "tool_calls"), check));
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(new ChatMessage(ChatMessage.Role.ASSISTANT, parts));
    }

    /** A tool message: the result of one call, as a user message part; its content's text is the result. */
    private static Optional<ChatMessage> toolResult(JsonNode message, String path, RequestCheck check) {
        if (message.has("tool_calls")) {
            check.problem(RequestCheck.path(path, "tool_calls"), "only allowed in an assistant message");
        }
        Optional<String> id = check.string(message, path, "tool_call_id", true);
        List<ContentPart> content = content(message.get("content"), RequestCheck.path(path, "content"), check);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            if (content.get(i) instanceof ContentPart.Text part) {
                text.append(part.text());
            } else {
                check.problem(RequestCheck.path(RequestCheck.path(path, "content"), i), "expected a text part");
            }
        }
        if (id.isPresent() && id.get().isBlank()) {
            check.problem(RequestCheck.path(path, "tool_call_id"), "must not be blank");
            return Optional.empty();
        }
        if (id.isEmpty() || content.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ChatMessage(
                ChatMessage.Role.USER, List.of(new ContentPart.ToolResult(id.get(), text.toString(), false))));
    }

    private static List<ContentPart> content(JsonNode content, String path, RequestCheck check) {
        return check.textOrParts(content, path, "parts", (element, at) -> part(element, at, check));
    }

    private static Optional<ContentPart> part(JsonNode part, String path, RequestCheck check) {
        if (!part.isObject()) {
            check.problem(path, "expected a content part object, but was " + RequestCheck.kind(part));
            return Optional.empty();
        }
        String type = check.string(part, path, "type", true).orElse("");
        return switch (type) {
            case "text" -> {
                check.fields(part, path, Set.of("type", "text"), Set.of(), Map.of());
                yield check.string(part, path, "text", true).map(ContentPart.Text::new);
            }
            case "image_url" -> {
                check.fields(part, path, Set.of("type", "image_url"), Set.of(), Map.of());
                yield imageUrl(part.get("image_url"), RequestCheck.path(path, "image_url"), check);
            }
            case "" -> Optional.empty();
            default -> {
                check.problem(RequestCheck.path(path, "type"), "expected text or image_url, but was '" + type + "'");
                yield Optional.empty();
            }
        };
    }

    private static Optional<ContentPart> imageUrl(JsonNode image, String path, RequestCheck check) {
        if (image == null || !image.isObject()) {
            check.problem(path, "expected an object with a url");
            return Optional.empty();
        }
        check.fields(image, path, Set.of("url"), Set.of("detail"), Map.of());
        return check.string(image, path, "url", true).flatMap(url -> {
            if (!url.startsWith("https://") && !url.startsWith("http://") && !url.startsWith("data:")) {
                check.problem(RequestCheck.path(path, "url"), "expected an http(s) or data: URL");
                return Optional.empty();
            }
            return Optional.of(new ContentPart.Image(url));
        });
    }

    /** @throws InvalidRequestException naming every problem found */
    public static EmbeddingsRequest embeddings(JsonNode body) {
        RequestCheck check = new RequestCheck();
        check.object(body);
        check.fields(body, "", Set.of("model", "input", "encoding_format", "dimensions"), Set.of("user"), Map.of());
        Optional<String> model = check.string(body, "", "model", true);
        List<String> inputs = inputs(body.get("input"), check);
        String format = check.string(body, "", "encoding_format", false).orElse("float");
        if (!format.equals("float") && !format.equals("base64")) {
            check.problem("encoding_format", "expected float or base64, but was '" + format + "'");
        }
        OptionalInt dimensions = check.positiveInt(body, "", "dimensions");
        check.throwIfAny();
        return new EmbeddingsRequest(
                model.orElseThrow(), new ModelRequest.Embedding(inputs), format.equals("base64"), dimensions);
    }

    private static List<String> inputs(JsonNode input, RequestCheck check) {
        if (input == null || input.isNull()) {
            check.problem("input", "required");
            return List.of();
        }
        if (input.isTextual()) {
            if (input.textValue().isEmpty()) {
                check.problem("input", "must not be empty");
            }
            return List.of(input.textValue());
        }
        if (!input.isArray() || input.isEmpty() || input.size() > MAX_EMBEDDING_INPUTS) {
            check.problem(
                    "input",
                    "expected a string or an array of 1 to " + MAX_EMBEDDING_INPUTS + " strings, but was "
                            + RequestCheck.kind(input) + (input.isArray() ? " of " + input.size() : ""));
            return List.of();
        }
        List<String> inputs = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String path = RequestCheck.path("input", i);
            if (item.isNumber() || item.isArray()) {
                check.problem(path, "token arrays are not supported; send the text instead");
            } else if (!item.isTextual() || item.textValue().isEmpty()) {
                check.problem(path, "expected a non-empty string, but was " + RequestCheck.kind(item));
            } else {
                inputs.add(item.textValue());
            }
        }
        return inputs;
    }
}
