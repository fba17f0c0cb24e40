package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.gateway.compat.AnthropicWireFormat;
import dev.pipewright.gateway.compat.OpenAiWireFormat;
import dev.pipewright.gateway.compat.WireError;
import dev.pipewright.model.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.Set;

/**
 * How a route writes its errors: RFC 9457 problem+json on native routes, OpenAI's
 * {@code {"error": {message, type, param, code}}} on the OpenAI-compatible routes and Anthropic's
 * {@code {"type": "error", "error": {type, message}}} on {@code /v1/messages}, so that each official SDK maps the
 * status and body to its own exception class. A compatible route adds its path to {@link #forPath} and sends its own
 * errors through {@link #send} so that errors raised before it runs (401, 429) and by it look the same.
 */
public enum ErrorShape {
    PROBLEM,
    OPENAI,
    ANTHROPIC;

    private static final Set<String> OPENAI_PATHS =
            Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/models");
    private static final ObjectMapper JSON = Json.builder().build();

    /** The shape of the route that serves {@code path}. */
    public static ErrorShape forPath(String path) {
        if (path.equals("/v1/messages") || path.startsWith("/v1/messages/")) {
            return ANTHROPIC;
        }
        if (OPENAI_PATHS.contains(path) || path.startsWith("/v1/models/")) {
            return OPENAI;
        }
        return PROBLEM;
    }

    public void send(ServerResponse response, ApiError error, String requestId) {
        switch (this) {
            case PROBLEM -> problem(error).send(response, JSON, requestId);
            case OPENAI -> sendJson(response, error.status(), OpenAiWireFormat.error(wire(error)));
            case ANTHROPIC -> sendJson(response, error.status(), AnthropicWireFormat.error(wire(error)));
        }
    }

    private static Problem problem(ApiError error) {
        return switch (error) {
            case ApiError.InvalidRequest e -> Problem.badRequest(e.message());
            case ApiError.Unauthenticated e ->
                new Problem(401, "/problems/unauthenticated", "Missing or invalid API key", e.message());
            case ApiError.Forbidden e -> new Problem(403, "/problems/forbidden", "Not allowed", e.message());
            case ApiError.RateLimited e ->
                new Problem(429, "/problems/rate-limited", "Rate limit reached", e.message());
            case ApiError.Unavailable e -> new Problem(503, "/problems/unavailable", "Unavailable", e.message());
        };
    }

    /** The error in the terms both compatible dialects render, so they are written by the routes' own writers. */
    private static WireError wire(ApiError error) {
        return switch (error) {
            case ApiError.InvalidRequest e -> WireError.invalidRequest(e.message(), Optional.empty());
            case ApiError.Unauthenticated e ->
                dialects(e, "invalid_request_error", "invalid_api_key", "authentication_error");
            case ApiError.Forbidden e -> dialects(e, "invalid_request_error", "permission_denied", "permission_error");
            case ApiError.RateLimited e ->
                dialects(e, e.exhausted().headerSuffix(), "rate_limit_exceeded", "rate_limit_error");
            case ApiError.Unavailable e -> dialects(e, "server_error", "service_unavailable", "overloaded_error");
        };
    }

    private static WireError dialects(ApiError error, String openAiType, String code, String anthropicType) {
        return new WireError(
                error.status(),
                error.message(),
                openAiType,
                Optional.empty(),
                Optional.of(code),
                anthropicType,
                Optional.empty());
    }

    private static void sendJson(ServerResponse response, int status, byte[] body) {
        response.status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body);
    }
}
