package dev.pipewright.gateway;

import dev.pipewright.gateway.ratelimit.Dimension;

/**
 * An error a route answers with, independent of how it is written: {@link ErrorShape} turns it into problem+json,
 * OpenAI's or Anthropic's error body, so each compatible SDK raises its own typed exception. Messages never quote a
 * key or a secret.
 */
public sealed interface ApiError {
    String message();

    default int status() {
        return switch (this) {
            case InvalidRequest e -> 400;
            case Unauthenticated e -> 401;
            case Forbidden e -> 403;
            case RateLimited e -> 429;
            case Unavailable e -> 503;
        };
    }

    /** The request itself is wrong; {@code message} says what to change. */
    record InvalidRequest(String message) implements ApiError {}

    /** No key, or a key no tenant owns. */
    record Unauthenticated(String message) implements ApiError {}

    /** A valid key asked for something it may not do. */
    record Forbidden(String message) implements ApiError {}

    /** The tenant's {@code exhausted} limit is used up for now; the response carries {@code Retry-After}. */
    record RateLimited(Dimension exhausted, String message) implements ApiError {}

    /** This server takes no new request now (it is draining to stop); another replica or a later retry will. */
    record Unavailable(String message) implements ApiError {}
}
