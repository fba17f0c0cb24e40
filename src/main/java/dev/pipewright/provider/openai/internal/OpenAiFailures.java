package dev.pipewright.provider.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Json;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.RetryAfterHeader;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place where OpenAI's answers become a {@link ModelError}: an HTTP status with the error body
 * ({@code {"error": {"message", "type", "param", "code"}}}), an {@code error} object inside a stream, or a failed
 * connection. Every message names the provider and the model and may quote the provider's message, but the API key
 * is scrubbed from it, whatever the server echoed back. Thread safe.
 */
public final class OpenAiFailures {
    private static final ObjectMapper JSON = Json.mapper();
    private static final int MAX_QUOTED_CHARACTERS = 500;

    private final String provider;
    private final Optional<String> secret;
    private final Clock clock;

    public OpenAiFailures(String provider, Optional<String> secret, Clock clock) {
        this.provider = provider;
        this.secret = secret.filter(key -> !key.isBlank());
        this.clock = clock;
    }

    /** The error an HTTP answer other than 2xx means; {@code header} looks headers up by lower-case name. */
    public ModelError fromStatus(String model, int status, byte[] body, Function<String, Optional<String>> header) {
        ErrorBody error = ErrorBody.parse(body);
        Optional<Duration> retryAfter = RetryAfterHeader.fromHeaders(header, clock.instant());
        String message = describe(model, "answered " + status, error);
        return classify(status, error, retryAfter, message);
    }

    /** The error an {@code error} object sent inside a stream means, classified as its HTTP twin would be. */
    public ModelError fromStreamError(String model, JsonNode errorNode) {
        ErrorBody error = ErrorBody.of(errorNode);
        String message = describe(model, "sent an error in the stream", error);
        return classify(statusOfStreamError(error), error, Optional.empty(), message);
    }

    /** A connection that failed: a read that timed out is a timeout, anything else a reset connection. */
    public ModelError fromConnection(String model, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return new ModelError.Timeout(
                        provider + " (" + model + ") did not send a byte within the read timeout");
            }
        }
        String reason =
                failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return new ModelError.ConnectionReset(
                "connection to " + provider + " (" + model + ") failed: " + scrub(reason));
    }

    /** A stream that ended without what a complete answer ends with: the connection was cut, as a reset is. */
    public ModelError cutShort(String model, String missing) {
        return new ModelError.ConnectionReset(provider + " (" + model + ") stream ended before " + missing);
    }

    /** A body or chunk that is not what the API reference promises: the upstream misbehaved, as a bad gateway does. */
    public ModelError malformed(String model, String what, String excerpt) {
        return new ModelError.Unavailable(
                provider + " (" + model + ") sent a malformed " + what + ": " + quote(excerpt), 502, Optional.empty());
    }

    /** Removes the API key from any text that may reach a message, a log line or a client. */
    public String scrub(String text) {
        return secret.map(key -> text.replace(key, "[redacted]")).orElse(text);
    }

    private static ModelError classify(int status, ErrorBody error, Optional<Duration> retryAfter, String message) {
        return switch (status) {
            case 429 ->
                error.is("insufficient_quota")
                        ? new ModelError.AuthFailed(message)
                        : new ModelError.RateLimited(message, retryAfter);
            case 400 -> {
                if (error.is("context_length_exceeded")) {
                    yield new ModelError.ContextLengthExceeded(message);
                }
                if (error.is("content_policy_violation") || error.is("content_filter")) {
                    yield new ModelError.ContentFiltered(message);
                }
                yield new ModelError.InvalidRequest(message);
            }
            case 401, 403 -> new ModelError.AuthFailed(message);
            case 408 -> new ModelError.Timeout(message);
            case 409 -> new ModelError.Unavailable(message, status, retryAfter);
            default -> {
                if (status >= 400 && status < 500) {
                    yield new ModelError.InvalidRequest(message);
                }
                yield new ModelError.Unavailable(message, status, retryAfter);
            }
        };
    }

    /** The status an HTTP answer would have had for the error a stream carried; unknown kinds are the server's. */
    private static int statusOfStreamError(ErrorBody error) {
        if (error.is("insufficient_quota") || error.is("rate_limit_exceeded") || error.is("rate_limit_error")) {
            return 429;
        }
        if (error.is("context_length_exceeded")
                || error.is("content_policy_violation")
                || error.is("content_filter")
                || error.is("invalid_request_error")) {
            return 400;
        }
        if (error.is("invalid_api_key") || error.is("authentication_error")) {
            return 401;
        }
        return 500;
    }

    private String describe(String model, String what, ErrorBody error) {
        StringBuilder message = new StringBuilder(provider)
                .append(" (")
                .append(model)
                .append(") ")
                .append(what);
        error.code().or(error::type).ifPresent(kind -> message.append(' ').append(kind));
        error.message().ifPresent(text -> message.append(": ").append(quote(text)));
        return message.toString();
    }

    private String quote(String text) {
        String scrubbed = scrub(text);
        return scrubbed.length() <= MAX_QUOTED_CHARACTERS
                ? scrubbed
                : scrubbed.substring(0, MAX_QUOTED_CHARACTERS) + "…";
    }

    /**
     * The parts of an error body that classify it. OpenAI sends {@code {"error": {...}}}; some compatible servers
     * send the fields at the top level or the error as a plain string, so those are read too.
     */
    private record ErrorBody(Optional<String> message, Optional<String> type, Optional<String> code) {

        static ErrorBody parse(byte[] body) {
            try {
                JsonNode root = JSON.readTree(body);
                if (root == null || !root.isObject()) {
                    return text(body);
                }
                JsonNode error = root.path("error");
                if (error.isTextual()) {
                    return new ErrorBody(Optional.of(error.asText()), Optional.empty(), Optional.empty());
                }
                return of(error.isObject() ? error : root);
            } catch (IOException e) {
                return text(body);
            }
        }

        static ErrorBody of(JsonNode error) {
            return new ErrorBody(field(error, "message"), field(error, "type"), field(error, "code"));
        }

        private static ErrorBody text(byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            return new ErrorBody(
                    text.isEmpty() ? Optional.empty() : Optional.of(text), Optional.empty(), Optional.empty());
        }

        private static Optional<String> field(JsonNode node, String name) {
            JsonNode value = node.path(name);
            return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
        }

        boolean is(String kind) {
            return code.filter(kind::equals).isPresent()
                    || type.filter(kind::equals).isPresent();
        }
    }
}
