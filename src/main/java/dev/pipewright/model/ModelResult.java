package dev.pipewright.model;

import java.time.Duration;
import java.util.List;

/**
 * A call that succeeded: the response, the alias and provider model that actually answered (a fallback, perhaps),
 * that model's usage, every attempt made on the way, and the time the whole call took.
 */
public record ModelResult(
        ModelResponse response, String answeredBy, String providerModel, List<Attempt> attempts, Duration latency) {

    public ModelResult {
        attempts = List.copyOf(attempts);
    }

    public Usage usage() {
        return response.usage();
    }
}
