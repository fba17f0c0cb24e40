package dev.pipewright.gateway.ratelimit;

import dev.pipewright.model.Usage;
import io.helidon.webserver.http.ServerRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens one request really used. Routes report the usage of each model call they answer with through
 * {@link #record}; once the route is done the gateway settles the tenant's token bucket for the difference to the
 * estimate it took on arrival. A route that reports nothing used no tokens, and its estimate is refunded.
 */
public final class TokenUsage {
    private final AtomicLong tokens = new AtomicLong();

    private TokenUsage() {}

    /** Starts the tally of {@code request}; called by the gateway before the route runs. */
    public static TokenUsage attach(ServerRequest request) {
        TokenUsage usage = new TokenUsage();
        request.context().register(usage);
        return usage;
    }

    /** Adds {@code usage} (input plus output tokens) to the request's tally; open routes keep none and ignore it. */
    public static void record(ServerRequest request, Usage usage) {
        request.context().get(TokenUsage.class).ifPresent(tally -> tally.tokens.addAndGet(usage.totalTokens()));
    }

    public long total() {
        return tokens.get();
    }
}
