package dev.pipewright.gateway.compat;

import dev.pipewright.model.ModelError;
import java.time.Duration;
import java.util.Optional;

/**
 * An error as the compatible routes answer it, in terms both dialects can render: the HTTP status (chosen so that the
 * official SDKs raise their typed exception for it), OpenAI's {@code type}, {@code param} and {@code code}, and
 * Anthropic's error {@code type}. A failure of an upstream model is never a 401 or 403: the caller's key was fine.
 */
public record WireError(
        int status,
        String message,
        String openAiType,
        Optional<String> param,
        Optional<String> code,
        String anthropicType,
        Optional<Duration> retryAfter) {

    public WireError {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status must be 4xx or 5xx, but was " + status);
        }
    }

    public static WireError invalidRequest(String message, Optional<String> param) {
        return new WireError(
                400,
                message,
                "invalid_request_error",
                param,
                Optional.empty(),
                "invalid_request_error",
                Optional.empty());
    }

    public static WireError modelNotFound(String model, Iterable<String> known) {
        return new WireError(
                404,
                "The model '" + model + "' does not exist; known models: " + String.join(", ", known),
                "invalid_request_error",
                Optional.of("model"),
                Optional.of("model_not_found"),
                "not_found_error",
                Optional.empty());
    }

    public static WireError internal(String requestId) {
        return new WireError(
                500,
                "The server had an error processing request " + requestId + "; see the server log.",
                "server_error",
                Optional.empty(),
                Optional.empty(),
                "api_error",
                Optional.empty());
    }

    /** A stream this server ended early because it is shutting down; another replica answers a retry. */
    public static WireError shuttingDown() {
        return new WireError(
                503,
                "The server is shutting down and ended this stream before the model finished; retry the request.",
                "server_error",
                Optional.empty(),
                Optional.of("server_shutting_down"),
                "overloaded_error",
                Optional.of(Duration.ofSeconds(2)));
    }

    /** The answer to a model call that failed after every attempt, with {@code error} the one that ended it. */
    public static WireError of(String alias, ModelError error) {
        String message = "model '" + alias + "' failed: " + error.message();
        return switch (error) {
            case ModelError.RateLimited limited ->
                upstream(429, message, "rate_limit_exceeded", "rate_limit_error", limited.retryAfter());
            case ModelError.Unavailable unavailable ->
                unavailable.status() == 503 || unavailable.status() == 529
                        ? upstream(503, message, "model_overloaded", "overloaded_error", unavailable.retryAfter())
                        : upstream(502, message, "upstream_error", "api_error", unavailable.retryAfter());
            case ModelError.ConnectionReset reset ->
                upstream(502, message, "upstream_error", "api_error", Optional.empty());
            case ModelError.AuthFailed failed ->
                upstream(502, message, "upstream_auth_failed", "api_error", Optional.empty());
            case ModelError.CircuitOpen open ->
                upstream(503, message, "model_unavailable", "overloaded_error", Optional.empty());
            case ModelError.Timeout timeout -> upstream(504, message, "timeout", "api_error", Optional.empty());
            case ModelError.DeadlineExceeded exceeded ->
                upstream(504, message, "timeout", "api_error", Optional.empty());
            case ModelError.ContextLengthExceeded exceeded ->
                rejected(message, Optional.of("messages"), "context_length_exceeded");
            case ModelError.ContentFiltered filtered -> rejected(message, Optional.empty(), "content_policy_violation");
            case ModelError.InvalidRequest invalid -> rejected(message, Optional.empty(), "invalid_request");
        };
    }

    private static WireError upstream(
            int status, String message, String code, String anthropicType, Optional<Duration> retryAfter) {
        String openAiType = status == 429 ? "requests" : "server_error";
        // A 429 always says when to come back, so that clients back off instead of hammering.
        Optional<Duration> delay =
                status == 429 && retryAfter.isEmpty() ? Optional.of(Duration.ofSeconds(1)) : retryAfter;
        return new WireError(status, message, openAiType, Optional.empty(), Optional.of(code), anthropicType, delay);
    }

    private static WireError rejected(String message, Optional<String> param, String code) {
        return new WireError(
                400,
                message,
                "invalid_request_error",
                param,
                Optional.of(code),
                "invalid_request_error",
                Optional.empty());
    }

    /** The Retry-After header value: whole seconds, rounded up, so that a client never comes back too early. */
    public Optional<String> retryAfterSeconds() {
        return retryAfter.map(delay -> Long.toString(Math.max(1, (delay.toMillis() + 999) / 1000)));
    }
}
