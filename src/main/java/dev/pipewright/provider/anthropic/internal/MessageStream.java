package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelResponse;

/**
 * Follows the event sequence of a streamed message: {@code message_start} (model and input usage),
 * {@code content_block_start}, {@code ping}, {@code content_block_delta} (text), {@code content_block_stop},
 * {@code message_delta} (stop reason and output usage), {@code message_stop}. An {@code error} event fails the
 * stream as the HTTP answer of its type would; an event whose data is not JSON, or that comes before
 * {@code message_start}, is malformed; event types the API may add later are skipped, as Anthropic asks clients to.
 * Not thread safe: one per stream.
 */
public final class MessageStream {
    private final AnthropicErrors errors;
    private final StringBuilder text = new StringBuilder();
    private String model;
    private String stopReason = "";
    private long input;
    private long cacheCreation;
    private long cacheRead;
    private long output;
    private boolean started;
    private boolean stopped;

    public MessageStream(String requestedModel, AnthropicErrors errors) {
        this.model = requestedModel;
        this.errors = errors;
    }

    /** Applies one event and answers the text it adds to the message, empty when it adds none. */
    public String accept(ServerSentEvent event) {
        JsonNode data = parse(event);
        String type = data.path("type").asText(event.type());
        if (type.equals("error")) {
            throw new ModelException(errors.fromErrorEvent(data));
        }
        if (type.equals("ping")) {
            return "";
        }
        if (!started && !type.equals("message_start")) {
            throw new ModelException(errors.malformed("stream", "'" + type + "' came before message_start"));
        }
        switch (type) {
            case "message_start" -> start(data.path("message"));
            case "content_block_delta" -> {
                return delta(data.path("delta"));
            }
            case "message_delta" -> finish(data);
            case "message_stop" -> stopped = true;
            default -> {
                // content_block_start and _stop carry no text of their own; unknown types are skipped.
            }
        }
        return "";
    }

    /** Whether {@code message_stop} arrived: only then is the message whole. */
    public boolean complete() {
        return stopped;
    }

    /** The whole message, once {@link #complete()}; a refusal is {@link AnthropicErrors#refused}. */
    public ModelResponse.Chat answer() {
        if (MessageAnswer.refusal(stopReason)) {
            throw new ModelException(errors.refused(model));
        }
        return new ModelResponse.Chat(
                model,
                text.toString(),
                MessageAnswer.finishReason(stopReason),
                MessageAnswer.usage(input, cacheCreation, cacheRead, output));
    }

    private JsonNode parse(ServerSentEvent event) {
        try {
            JsonNode data = WireJson.MAPPER.readTree(event.data());
            if (data == null || !data.isObject()) {
                throw new ModelException(errors.malformed("event", "'" + event.type() + "' data is not an object"));
            }
            return data;
        } catch (JsonProcessingException e) {
            throw new ModelException(
                    errors.malformed("event", "'" + event.type() + "' data is not JSON: " + e.getOriginalMessage()), e);
        }
    }

    private void start(JsonNode message) {
        started = true;
        model = message.path("model").asText(model);
        readUsage(message.path("usage"));
    }

    private String delta(JsonNode delta) {
        if (!delta.path("type").asText("").equals("text_delta")) {
            return "";
        }
        String piece = delta.path("text").asText("");
        text.append(piece);
        return piece;
    }

    private void finish(JsonNode data) {
        stopReason = data.path("delta").path("stop_reason").asText(stopReason);
        readUsage(data.path("usage"));
    }

    /** Counts in a later event are cumulative, so each one present replaces the earlier reading. */
    private void readUsage(JsonNode usage) {
        input = MessageAnswer.count(usage, "input_tokens", input);
        cacheCreation = MessageAnswer.count(usage, "cache_creation_input_tokens", cacheCreation);
        cacheRead = MessageAnswer.count(usage, "cache_read_input_tokens", cacheRead);
        output = MessageAnswer.count(usage, "output_tokens", output);
    }
}
