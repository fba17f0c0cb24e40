package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.Usage;

/**
 * How a message's usage and stop reason read. Anthropic counts {@code input_tokens} apart from the prompt-cache
 * tokens: the input is all three added up, of which {@code cache_read_input_tokens} were served from the cache
 * ({@link Usage#cachedInputTokens()}); {@code cache_creation_input_tokens} count as plain input, so a ledger that
 * prices them at the input rate under-counts the cache-write surcharge Anthropic bills for them.
 */
final class MessageAnswer {
    private MessageAnswer() {}

    static Usage usage(long input, long cacheCreation, long cacheRead, long output) {
        return new Usage(input + cacheCreation + cacheRead, output, cacheRead);
    }

    static long count(JsonNode usage, String field, long otherwise) {
        JsonNode value = usage.path(field);
        return value.canConvertToLong() && value.asLong() >= 0 ? value.asLong() : otherwise;
    }

    /**
     * The finish reason in the words the rest of Pipewright uses: {@code stop} for a natural end or a stop
     * sequence, {@code length} when {@code max_tokens} cut it, {@code tool_calls} for tool use; any other reason
     * as Anthropic named it. A refusal never gets here: it is a {@link AnthropicErrors#refused} failure.
     */
    static String finishReason(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> "stop";
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            default -> stopReason;
        };
    }

    static boolean refusal(String stopReason) {
        return stopReason.equals("refusal");
    }
}
