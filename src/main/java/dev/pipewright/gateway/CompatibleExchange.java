package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.cache.CacheLookup;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.ModelType;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.Tenants;
import dev.pipewright.gateway.compat.StreamRelay;
import dev.pipewright.gateway.compat.WireError;
import dev.pipewright.gateway.compat.WireErrorException;
import dev.pipewright.gateway.ratelimit.TokenUsage;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.StreamListener;
import dev.pipewright.router.ModelRouter;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the OpenAI- and Anthropic-compatible routes share: reading a bounded body, resolving the {@code model} field
 * as a configured alias, calling the model through {@link ModelCall} (so fallbacks, retries and circuits apply), and
 * answering every failure in the route's own error shape with a 4xx for what the client must fix. Thread safe.
 */
final class CompatibleExchange {
    /** Names the alias that actually answered (a fallback, perhaps), on every successful compatible response. */
    static final HeaderName MODEL_HEADER = HeaderNames.create("x-pipewright-model");

    private static final Logger log = LoggerFactory.getLogger(CompatibleExchange.class);

    private final Supplier<PipewrightConfig> config;
    private final ModelCall modelCall;
    private final JsonBodies bodies;
    private final Clock clock;
    private final Duration deadline;
    private final ModelRouter router;
    private final CompatibleCache cache;

    CompatibleExchange(
            Supplier<PipewrightConfig> config,
            ModelCall modelCall,
            JsonBodies bodies,
            Clock clock,
            Duration deadline,
            ModelRouter router,
            CompatibleCache cache) {
        this.config = config;
        this.modelCall = modelCall;
        this.bodies = bodies;
        this.clock = clock;
        this.deadline = deadline;
        this.router = router;
        this.cache = cache;
    }

    CompatibleCache cache() {
        return cache;
    }

    /**
     * The aliases to try for a requested model name, in order: the alias itself, or for a model group the member its
     * strategy picks, then the group's other available members.
     */
    private List<String> candidates(String requested) {
        return router.resolve(requested)
                .map(dev.pipewright.router.Route::candidates)
                .orElse(List.of(requested));
    }

    @FunctionalInterface
    interface Route {
        void handle(ServerRequest request, ServerResponse response, String requestId) throws Exception;
    }

    /** Runs {@code route}, answering its failures with {@code errorBody}'s shape. */
    Handler guarded(Function<WireError, byte[]> errorBody, Route route) {
        return (request, response) -> {
            String requestId = RequestIds.of(request);
            response.header(RequestIds.HEADER, requestId);
            try {
                route.handle(request, response, requestId);
            } catch (WireErrorException e) {
                sendError(response, e.error(), errorBody);
            } catch (BadRequestException e) {
                sendError(response, WireError.invalidRequest(e.getMessage(), Optional.empty()), errorBody);
            } catch (RuntimeException e) {
                log.error("request {} failed", requestId, e);
                if (!response.isSent()) {
                    sendError(response, WireError.internal(requestId), errorBody);
                }
            }
        };
    }

    static void sendError(ServerResponse response, WireError error, Function<WireError, byte[]> errorBody) {
        error.retryAfterSeconds().ifPresent(seconds -> response.header(HeaderNames.RETRY_AFTER, seconds));
        response.status(Status.create(error.status()))
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(errorBody.apply(error));
    }

    JsonNode body(ServerRequest request) {
        return bodies.parse(request);
    }

    /**
     * The configured model {@code alias}, which must produce {@code type}.
     *
     * @throws WireErrorException 404 when no such alias is configured, 400 when it produces the other type
     */
    ModelConfig model(String requested, ModelType type) {
        PipewrightConfig current = config.get();
        String alias = candidates(requested).getFirst();
        ModelConfig model = current.models().get(alias);
        if (model == null) {
            throw new WireErrorException(
                    WireError.modelNotFound(requested, current.models().keySet()));
        }
        if (model.type() != type) {
            throw new WireErrorException(WireError.invalidRequest(
                    "model '" + alias + "' is " + article(model.type()) + " model and cannot answer " + article(type)
                            + " request",
                    Optional.of("model")));
        }
        return model;
    }

    private static String article(ModelType type) {
        return type == ModelType.EMBEDDING ? "an embedding" : "a chat";
    }

    Iterable<String> aliases() {
        return config.get().models().keySet();
    }

    long epochSecond() {
        return clock.instant().getEpochSecond();
    }

    /**
     * The chat answer to {@code request}: the cached one of {@code cache} when it hit, else a fresh call, stored in
     * {@code cache} when it is a complete chat answer.
     */
    ModelResult executeCached(
            CacheLookup cache,
            Optional<ModelResult> cached,
            ModelRequest request,
            String requested,
            ServerRequest caller,
            String requestId,
            String route) {
        if (cached.isPresent()) {
            return cached.get();
        }
        ModelResult result = execute(request, requested, caller, requestId, route);
        CompatibleCache.store(cache, result);
        return result;
    }

    /** The text answer of a chat call; a model that answered a chat with anything else is a defect. */
    static ModelResponse.Chat chatAnswer(ModelResult result) {
        if (!(result.response() instanceof ModelResponse.Chat answer)) {
            throw new IllegalStateException("model '" + result.answeredBy() + "' answered a chat without text");
        }
        return answer;
    }

    /**
     * Calls the model {@code requested} names for {@code request}. For a group, a member whose call failed in a way
     * another model may not share (see {@link ModelError#retryable()}, or an open circuit) hands over to the next
     * member; each member's own fallbacks have been tried by then.
     *
     * @throws WireErrorException with the failure mapped to a status when no model answered
     */
    ModelResult execute(ModelRequest request, String requested, ServerRequest caller, String requestId, String route) {
        Deadline deadline = deadline();
        ModelCallException last = null;
        for (String alias : candidates(requested)) {
            try (ModelRouter.Lease lease = router.acquire(alias)) {
                ModelResult result =
                        modelCall.execute(request, alias, deadline, requestId, labels(caller, requestId, route));
                TokenUsage.record(caller, result.usage());
                return result;
            } catch (ModelCallException e) {
                last = e;
                if (!(e.error().retryable() || e.error() instanceof ModelError.CircuitOpen) || deadline.expired()) {
                    break;
                }
            }
        }
        throw new WireErrorException(WireError.of(requested, last.error()));
    }

    /**
     * Streams the answer of the model {@code requested} names to {@code listener}; for a group, the member its
     * strategy picks (with that member's fallbacks). The caller maps a {@link ModelCallException}.
     */
    ModelResult stream(
            ModelRequest.Chat request,
            String requested,
            ServerRequest caller,
            String requestId,
            String route,
            StreamListener listener) {
        String alias = candidates(requested).getFirst();
        try (ModelRouter.Lease lease = router.acquire(alias)) {
            ModelResult result =
                    modelCall.stream(request, alias, deadline(), requestId, labels(caller, requestId, route), listener);
            TokenUsage.record(caller, result.usage());
            return result;
        }
    }

    /** The wire error for a stream's failure; anything but a model failure is logged as the bug it is. */
    static WireError streamError(String alias, RuntimeException failure, String requestId) {
        if (failure instanceof ModelCallException e) {
            return WireError.of(alias, e.error());
        }
        if (failure instanceof StreamRelay.Interrupted) {
            return WireError.shuttingDown();
        }
        log.error("streamed request {} failed", requestId, failure);
        return WireError.internal(requestId);
    }

    private Deadline deadline() {
        return Deadline.after(deadline, clock);
    }

    /**
     * @throws WireErrorException 400 when the allocation tags header is malformed
     */
    private static CallLabels labels(ServerRequest caller, String requestId, String route) {
        Map<String, String> tags;
        try {
            tags = AllocationTags.of(caller);
        } catch (IllegalArgumentException bad) {
            throw new WireErrorException(WireError.invalidRequest(bad.getMessage(), Optional.empty()));
        }
        return new CallLabels(Tenants.of(caller).name(), "", route, requestId, tags, "");
    }
}
