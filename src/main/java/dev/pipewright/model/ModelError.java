package dev.pipewright.model;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a model call failed, sorted by whether trying again can help. Retryable errors may carry the delay the
 * provider asked for; the others are answered the same way however often they are asked.
 */
public sealed interface ModelError {

    String message();

    /** Whether the same request to the same model may succeed later. */
    boolean retryable();

    /** The provider's Retry-After, when it sent one. */
    default Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** The short, stable name used in metrics and logs. */
    String kind();

    record RateLimited(String message, Optional<Duration> retryAfter) implements ModelError {
        public boolean retryable() {
            return true;
        }

        public String kind() {
            return "rate_limited";
        }
    }

    record Unavailable(String message, int status, Optional<Duration> retryAfter) implements ModelError {
        public boolean retryable() {
            return true;
        }

        public String kind() {
            return "unavailable";
        }
    }

    record Timeout(String message) implements ModelError {
        public boolean retryable() {
            return true;
        }

        public String kind() {
            return "timeout";
        }
    }

    record ConnectionReset(String message) implements ModelError {
        public boolean retryable() {
            return true;
        }

        public String kind() {
            return "connection_reset";
        }
    }

    /** The model's circuit is open: not tried at all, so the fallbacks are asked instead. */
    record CircuitOpen(String message) implements ModelError {
        public boolean retryable() {
            return false;
        }

        public String kind() {
            return "circuit_open";
        }
    }

    /** The deadline of the whole call passed; nothing more is tried. */
    record DeadlineExceeded(String message) implements ModelError {
        public boolean retryable() {
            return false;
        }

        public String kind() {
            return "deadline_exceeded";
        }
    }

    record InvalidRequest(String message) implements ModelError {
        public boolean retryable() {
            return false;
        }

        public String kind() {
            return "invalid_request";
        }
    }

    /** The input does not fit the model; a fallback with a larger context window may take it. */
    record ContextLengthExceeded(String message) implements ModelError {
        public boolean retryable() {
            return false;
        }

        public String kind() {
            return "context_length_exceeded";
        }
    }

    record ContentFiltered(String message) implements ModelError {
        public boolean retryable() {
            return false;
        }

        public String kind() {
            return "content_filtered";
        }
    }

    /** Bad or missing key, or a quota that is used up: a retry cannot help until someone acts. */
    record AuthFailed(String message) implements ModelError {
        public boolean retryable() {
            return false;
        }

        public String kind() {
            return "auth_failed";
        }
    }
}
