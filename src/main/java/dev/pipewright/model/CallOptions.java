package dev.pipewright.model;

import java.time.Duration;

/**
 * How one attempt is made: the provider's model name, the time it may take (the client must give up after it), and
 * an idempotency key that stays the same across retries of one logical call.
 */
public record CallOptions(String model, Duration timeout, String idempotencyKey) {}
