package dev.pipewright.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Set;

/**
 * Refuses new requests while the server drains (503 with {@code Retry-After} and {@code Connection: close}, in the
 * error shape of the route) or while the limit of requests in flight is reached (503 with {@code Retry-After}; the
 * connection stays open), and runs every admitted request in its {@link RequestScope}, counted by the {@link Drain}
 * until it ends. Health and metrics always pass: readiness is how a balancer learns about the drain.
 */
final class OperationsFilter implements Filter {
    static final String RETRY_AFTER_SECONDS = "2";
    private static final Set<String> ALWAYS_OPEN = Set.of("/health/live", "/health/ready", "/metrics");

    private final Operations operations;

    OperationsFilter(Operations operations) {
        this.operations = operations;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.path().path();
        if (ALWAYS_OPEN.contains(path)) {
            chain.proceed();
            return;
        }
        Drain drain = operations.drain();
        switch (drain.enter()) {
            case ADMITTED -> {}
            case DRAINING -> {
                response.header(HeaderNames.CONNECTION, "close");
                refuse(path, request, response, "this server is shutting down; retry, another replica will answer");
                return;
            }
            case FULL -> {
                refuse(
                        path,
                        request,
                        response,
                        "this server is running as many requests as it admits at once (" + drain.limit()
                                + ", server.max_in_flight); retry shortly");
                return;
            }
        }
        try (RequestScope.Scope scope = operations.scope().enter()) {
            chain.proceed();
        } finally {
            drain.exit();
        }
    }

    private static void refuse(String path, RoutingRequest request, RoutingResponse response, String message) {
        String requestId = RequestIds.of(request);
        response.header(RequestIds.HEADER, requestId);
        response.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        ErrorShape.forPath(path).send(response, new ApiError.Unavailable(message), requestId);
    }
}
