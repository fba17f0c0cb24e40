package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.ModelError;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place where Anthropic's failures become a {@link ModelError}: an HTTP error answer (status and the body's
 * {@code error.type}), an {@code error} event in the middle of a stream, a broken connection, a malformed answer.
 * Every message passes through {@link #clean}, which cuts it short and removes the API key, so that no upstream echo
 * carries the key into a log or an error body.
 */
public final class AnthropicErrors {
    private static final int MAX_MESSAGE = 300;
    private static final String REDACTED = "[redacted]";
    private static final Pattern CONTEXT_LENGTH =
            Pattern.compile("prompt is too long|exceeds? (the )?context (limit|window)|context (window|length)");
    private static final Pattern CONTENT_FILTER = Pattern.compile("content filtering|content policy");

    /** The status Anthropic answers each error type with, for error events that arrive without one. */
    private static final Map<String, Integer> STATUS_OF_TYPE = Map.of(
            "invalid_request_error", 400,
            "authentication_error", 401,
            "billing_error", 402,
            "permission_error", 403,
            "not_found_error", 404,
            "request_too_large", 413,
            "rate_limit_error", 429,
            "api_error", 500,
            "timeout_error", 504,
            "overloaded_error", 529);

    private final Optional<String> apiKey;

    public AnthropicErrors(Optional<String> apiKey) {
        this.apiKey = apiKey.filter(key -> !key.isBlank());
    }

    /**
     * An HTTP error answer. 400 is an invalid request unless its message says the prompt does not fit the context
     * window (a larger-context fallback may take it) or that content filtering blocked it; 401, 402 (billing) and
     * 403 need someone to act; 404 names a model or path that does not exist; 413 is a body over the API's byte
     * limit, which no other Anthropic model accepts either, so it is invalid rather than a context-length failure;
     * 408 and 504 are timeouts; 429, 529 and other 5xx are retryable and carry the Retry-After asked for.
     */
    public ModelError fromResponse(int status, byte[] body, Optional<Duration> retryAfter) {
        ErrorBody error = ErrorBody.parse(body);
        String message = clean("anthropic answered " + status + " " + error.describe());
        String lower = error.message().toLowerCase(Locale.ROOT);
        return switch (status) {
            case 400 -> {
                if (CONTEXT_LENGTH.matcher(lower).find()) {
                    yield new ModelError.ContextLengthExceeded(message);
                }
                yield CONTENT_FILTER.matcher(lower).find()
                        ? new ModelError.ContentFiltered(message)
                        : new ModelError.InvalidRequest(message);
            }
            case 401, 402, 403 -> new ModelError.AuthFailed(message);
            case 408, 504 -> new ModelError.Timeout(message);
            case 429 -> new ModelError.RateLimited(message, retryAfter);
            default ->
                status >= 500
                        ? new ModelError.Unavailable(message, status, retryAfter)
                        : new ModelError.InvalidRequest(message);
        };
    }

    /** An {@code error} event sent after the stream began: mapped as the HTTP answer of its type would be. */
    public ModelError fromErrorEvent(JsonNode event) {
        JsonNode error = event.path("error");
        String type = error.path("type").asText("");
        int status = STATUS_OF_TYPE.getOrDefault(type, 500);
        byte[] body = event.toString().getBytes(StandardCharsets.UTF_8);
        return fromResponse(status, body, Optional.empty());
    }

    /** The connection failed or was cut before the answer was complete. */
    public ModelError fromTransport(Throwable failure) {
        if (causedBy(failure, SocketTimeoutException.class)) {
            return new ModelError.Timeout(clean("anthropic did not answer in time: " + failure.getMessage()));
        }
        return new ModelError.ConnectionReset(clean(
                "connection to anthropic failed: " + failure.getClass().getSimpleName() + ": " + failure.getMessage()));
    }

    /** The stream ended, cleanly at the TCP level, before Anthropic said the message was complete. */
    public ModelError streamEndedEarly() {
        return new ModelError.ConnectionReset("anthropic stream ended before message_stop");
    }

    /** A body or event that is not the JSON Anthropic documents: a broken upstream or proxy. */
    public ModelError malformed(String what, String detail) {
        return new ModelError.Unavailable(
                clean("anthropic sent a malformed " + what + ": " + detail), 502, Optional.empty());
    }

    /** A message the model declined to write ({@code stop_reason: refusal}): a retry gets the same refusal. */
    public ModelError refused(String model) {
        return new ModelError.ContentFiltered(clean(model + " refused to answer (stop_reason refusal)"));
    }

    /** Cuts {@code message} short and replaces the API key wherever it appears. */
    public String clean(String message) {
        String text = message == null ? "" : message;
        if (apiKey.isPresent()) {
            text = text.replace(apiKey.get(), REDACTED);
        }
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }

    private static boolean causedBy(Throwable failure, Class<? extends IOException> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
