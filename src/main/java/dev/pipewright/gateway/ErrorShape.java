package dev.pipewright.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
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
    private static final ObjectMapper JSON = JsonMapper.builder().build();

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
            case OPENAI -> sendJson(response, error.status(), openAi(error));
            case ANTHROPIC -> sendJson(response, error.status(), anthropic(error));
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
        };
    }

    private static ObjectNode openAi(ApiError error) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode detail = body.putObject("error").put("message", error.message());
        switch (error) {
            case ApiError.InvalidRequest e -> detail.put("type", "invalid_request_error");
            case ApiError.Unauthenticated e -> detail.put("type", "invalid_request_error");
            case ApiError.Forbidden e -> detail.put("type", "invalid_request_error");
            case ApiError.RateLimited e -> detail.put("type", e.exhausted().headerSuffix());
        }
        detail.putNull("param");
        switch (error) {
            case ApiError.InvalidRequest e -> detail.putNull("code");
            case ApiError.Unauthenticated e -> detail.put("code", "invalid_api_key");
            case ApiError.Forbidden e -> detail.put("code", "permission_denied");
            case ApiError.RateLimited e -> detail.put("code", "rate_limit_exceeded");
        }
        return body;
    }

    private static ObjectNode anthropic(ApiError error) {
        String type = switch (error) {
            case ApiError.InvalidRequest e -> "invalid_request_error";
            case ApiError.Unauthenticated e -> "authentication_error";
            case ApiError.Forbidden e -> "permission_error";
            case ApiError.RateLimited e -> "rate_limit_error";
        };
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", error.message());
        return body;
    }

    private static void sendJson(ServerResponse response, int status, ObjectNode body) {
        try {
            response.status(status)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
