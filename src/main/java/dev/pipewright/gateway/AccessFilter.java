package dev.pipewright.gateway;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.TenantConfig;
import dev.pipewright.gateway.auth.Credentials;
import dev.pipewright.gateway.auth.KeyVerifier;
import dev.pipewright.gateway.auth.Tenant;
import dev.pipewright.gateway.auth.Tenants;
import dev.pipewright.gateway.console.Console;
import dev.pipewright.gateway.ratelimit.Admission;
import dev.pipewright.gateway.ratelimit.InMemoryRateLimiter;
import dev.pipewright.gateway.ratelimit.Limits;
import dev.pipewright.gateway.ratelimit.RateLimitHeaders;
import dev.pipewright.gateway.ratelimit.RateLimiter;
import dev.pipewright.gateway.ratelimit.TokenUsage;
import dev.pipewright.model.Clock;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and rate limits in front of every route but the open ones (health and metrics). A request passes
 * with a key that names its tenant ({@link Tenants#of} then answers routes), within the tenant's limits; otherwise it
 * is answered here with 401, 403 or 429 in the route's {@link ErrorShape}. Master-key requests may act for the tenant
 * named in {@code X-Pipewright-Tenant} and are not rate limited.
 *
 * <p>Limits fail open: when the limiter cannot answer (Redis is down or slow), requests pass unlimited and each
 * failure is logged, because an outage of the shared buckets should not become an outage of the gateway.
 *
 * <p>Tokens are estimated before the route runs as a quarter of the body's length in bytes (about four characters
 * make a token in English, and counting the JSON around the text errs high) and settled against what the route
 * reports through {@link TokenUsage#record} once it is done.
 */
public final class AccessFilter implements Filter, TenantLimits {
    public static final HeaderName TENANT_HEADER = HeaderNames.create("X-Pipewright-Tenant");
    private static final Set<String> OPEN_PATHS = Set.of("/health/live", "/health/ready", "/metrics");
    private static final Logger log = LoggerFactory.getLogger(AccessFilter.class);

    private final KeyVerifier keys;
    private final RateLimiter limiter;
    private final Supplier<PipewrightConfig> config;

    public AccessFilter(KeyVerifier keys, RateLimiter limiter, Supplier<PipewrightConfig> config) {
        this.keys = keys;
        this.limiter = limiter;
        this.config = config;
    }

    /** Keys from the configuration and {@code PIPEWRIGHT_MASTER_KEY}, limits held in this process. */
    public static AccessFilter fromConfig(Supplier<PipewrightConfig> config) {
        return new AccessFilter(
                new KeyVerifier(config, KeyVerifier.masterKey(System.getenv()), Optional.empty()),
                new InMemoryRateLimiter(Clock.system()),
                config);
    }

    /** The keys this filter accepts, for the console's sign-in. */
    public KeyVerifier keys() {
        return keys;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.path().path();
        // The console signs in through its own form and session cookie, and checks them itself.
        if (OPEN_PATHS.contains(path) || path.equals(Console.PATH) || path.startsWith(Console.PATH + "/")) {
            chain.proceed();
            return;
        }
        ErrorShape shape = ErrorShape.forPath(path);
        switch (authenticate(request)) {
            case Authentication.Refused refused -> refuse(request, response, shape, refused.error());
            case Authentication.Passed passed -> {
                Tenants.attach(request, passed.tenant());
                if (passed.tenant().master()) {
                    chain.proceed();
                } else {
                    withinLimits(chain, request, response, shape, passed.tenant());
                }
            }
        }
    }

    private sealed interface Authentication {
        record Passed(Tenant tenant) implements Authentication {}

        record Refused(ApiError error) implements Authentication {}
    }

    private Authentication authenticate(RoutingRequest request) {
        Optional<String> key = Credentials.presented(request.headers());
        Optional<Tenant> owner = key.flatMap(keys::verify);
        if (owner.isEmpty()) {
            return new Authentication.Refused(new ApiError.Unauthenticated(
                    key.isEmpty()
                            ? "no API key; send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'"
                            : "the API key is not valid"));
        }
        Optional<String> named = request.headers().first(TENANT_HEADER);
        if (named.isEmpty() || named.get().equals(owner.get().name())) {
            return new Authentication.Passed(owner.get());
        }
        if (!owner.get().master()) {
            return new Authentication.Refused(new ApiError.Forbidden(
                    TENANT_HEADER.defaultCase() + " names another tenant; only the master key may act for one"));
        }
        if (!Tenant.isValidName(named.get())) {
            return new Authentication.Refused(new ApiError.InvalidRequest(
                    TENANT_HEADER.defaultCase() + ": not a tenant name; " + Tenant.NAME_RULE));
        }
        return new Authentication.Passed(new Tenant(named.get(), true));
    }

    @Override
    public Permit admit(String tenant, boolean master, long estimatedTokens) {
        if (master) {
            return Permit.FREE;
        }
        Limits limits = limitsOf(tenant);
        Optional<Admission> asked = ask(tenant, limits, estimatedTokens);
        if (asked.isEmpty()) {
            return Permit.FREE;
        }
        return switch (asked.get()) {
            case Admission.Refused refused -> throw new LimitReachedException(refusal(refused));
            case Admission.Admitted admitted ->
                usedTokens -> settle(tenant, limits, usedTokens - admitted.reservedTokens());
        };
    }

    private void withinLimits(
            FilterChain chain, RoutingRequest request, RoutingResponse response, ErrorShape shape, Tenant tenant) {
        Limits limits = limitsOf(tenant.name());
        Optional<Admission> asked = ask(tenant.name(), limits, estimatedTokens(request));
        if (asked.isEmpty()) {
            chain.proceed();
            return;
        }
        RateLimitHeaders.apply(response, asked.get());
        switch (asked.get()) {
            case Admission.Refused refused ->
                refuse(request, response, shape, new ApiError.RateLimited(refused.exhausted(), refusal(refused)));
            case Admission.Admitted admitted -> {
                TokenUsage usage = TokenUsage.attach(request);
                try {
                    chain.proceed();
                } finally {
                    settle(tenant.name(), limits, usage.total() - admitted.reservedTokens());
                }
            }
        }
    }

    private Limits limitsOf(String tenant) {
        TenantConfig configured = config.get().tenants().get(tenant);
        return configured == null ? Limits.NONE : Limits.of(configured);
    }

    /**
     * The limiter's answer for one request of {@code tenant}; empty when the tenant has no limits, or when the
     * limiter cannot be reached, and the request then goes unlimited rather than failing.
     */
    private Optional<Admission> ask(String tenant, Limits limits, long estimatedTokens) {
        if (limits.equals(Limits.NONE)) {
            return Optional.empty();
        }
        try {
            return Optional.of(limiter.admit(tenant, limits, estimatedTokens));
        } catch (RuntimeException e) {
            log.warn("rate limits unavailable, admitting a request of tenant {} unlimited: {}", tenant, e.toString());
            return Optional.empty();
        }
    }

    private static String refusal(Admission.Refused refused) {
        return "rate limit reached for " + refused.exhausted().headerSuffix() + " per minute; try again in "
                + RateLimitHeaders.retryAfterSeconds(refused.retryAfter()) + "s";
    }

    private void settle(String tenant, Limits limits, long tokenDifference) {
        try {
            limiter.settle(tenant, limits, tokenDifference);
        } catch (RuntimeException e) {
            log.warn("rate limits unavailable, {} tokens of tenant {} left unsettled", tokenDifference, tenant, e);
        }
    }

    /** A quarter of the body's bytes, rounded up; a body of unknown length is charged in full once it is used. */
    static long estimatedTokens(RoutingRequest request) {
        long bytes = request.headers().contentLength().orElse(0);
        return (bytes + 3) / 4;
    }

    private static void refuse(RoutingRequest request, RoutingResponse response, ErrorShape shape, ApiError error) {
        String requestId = RequestIds.of(request);
        log.debug(
                "request {} to {} refused with {}: {}",
                requestId,
                request.path().path(),
                error.status(),
                error);
        response.header(RequestIds.HEADER, requestId);
        shape.send(response, error, requestId);
    }
}
