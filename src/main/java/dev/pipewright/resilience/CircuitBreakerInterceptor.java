package dev.pipewright.resilience;

import dev.pipewright.config.CircuitPolicy;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.Attempt;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One Resilience4j circuit breaker per model alias, created on the alias's first call from its {@link CircuitPolicy}
 * (and created afresh when a reloaded config changes that policy).
 *
 * <p>The breaker sits outside the retry link (circuit ⊃ retry), so one breaker call covers one logical call to the
 * model with all its retries: the failure rate is the share of calls that still failed after retrying, and an open
 * circuit refuses a whole retry group at once. In the half-open state a probe likewise is one call with its retries.
 *
 * <p>Time comes only from the injected {@link Clock}: the open period is measured on its wall clock and the automatic
 * open → half-open timer is off, so the circuit goes half-open on the first call after {@code open_for} has passed.
 * Instances are thread safe and meant to be shared, so that health reporting sees the same circuits as the calls.
 */
public final class CircuitBreakerInterceptor implements ModelInterceptor {
    /** Slow calls are the timeout link's business; a threshold no call can reach switches that rule off. */
    private static final Duration NEVER_SLOW = Duration.ofNanos(Long.MAX_VALUE);

    private final Clock clock;
    private final ConcurrentMap<String, PolicyBreaker> breakers = new ConcurrentHashMap<>();

    public CircuitBreakerInterceptor(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation invocation = chain.invocation();
        CircuitBreaker breaker = breakerFor(invocation.model());
        if (!breaker.tryAcquirePermission()) {
            throw refuse(invocation);
        }
        long start = breaker.getCurrentTimestamp();
        try {
            ModelResponse response = chain.proceed(invocation);
            breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
            return response;
        } catch (RuntimeException | Error e) {
            breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
            throw e;
        }
    }

    /**
     * Drops {@code alias}'s circuit and its history, so that the next call starts on a closed circuit: the alias now
     * names another model (a reloaded configuration changed its definition) or none.
     */
    public void forget(String alias) {
        breakers.remove(alias);
    }

    /** The state of {@code alias}'s circuit; a model not called yet is closed. */
    public CircuitState state(String alias) {
        PolicyBreaker existing = breakers.get(alias);
        if (existing == null) {
            return CircuitState.CLOSED;
        }
        return switch (existing.breaker().getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> CircuitState.CLOSED;
            case OPEN, FORCED_OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
        };
    }

    /**
     * Whether a failure says the model is unhealthy and so counts against its circuit. Failures that do not count
     * are of two sorts: answers (the model was up and said no), which count as successful calls, and outcomes that
     * say nothing about the model, which are ignored (see {@link #saysNothingAboutTheModel}).
     */
    static boolean countsAgainstCircuit(ModelError error) {
        return switch (error) {
            // Overloaded, down or unreachable: the plain health signals.
            case ModelError.Unavailable unavailable -> true;
            case ModelError.Timeout timeout -> true;
            case ModelError.ConnectionReset connectionReset -> true;
            // Still limited after the Retry-After waits: sending more traffic only hammers the provider, and
            // the fallbacks can serve while the limit window passes.
            case ModelError.RateLimited rateLimited -> true;
            // A rejected key or a spent quota fails every call until someone acts; failing fast saves the
            // round trip, and the half-open probes notice when it is fixed.
            case ModelError.AuthFailed authFailed -> true;
            // The model answered; the request was the problem.
            case ModelError.InvalidRequest invalidRequest -> false;
            case ModelError.ContextLengthExceeded contextLength -> false;
            case ModelError.ContentFiltered contentFiltered -> false;
            // Not outcomes of this model's call; ignored.
            case ModelError.CircuitOpen circuitOpen -> false;
            case ModelError.DeadlineExceeded deadlineExceeded -> false;
        };
    }

    /** The call's own deadline or cancellation, a nested refusal, or a bug: none tells how the model is doing. */
    private static boolean saysNothingAboutTheModel(Throwable failure) {
        return !(failure instanceof ModelException e)
                || e.error() instanceof ModelError.DeadlineExceeded
                || e.error() instanceof ModelError.CircuitOpen;
    }

    private static boolean recordsAsFailure(Throwable failure) {
        return failure instanceof ModelException e && countsAgainstCircuit(e.error());
    }

    private ModelException refuse(Invocation invocation) {
        ModelConfig model = invocation.model();
        ModelError error = new ModelError.CircuitOpen("the circuit of model " + model.alias() + " is open");
        invocation
                .attempts()
                .record(new Attempt(
                        model.alias(),
                        model.model(),
                        invocation.attempt(),
                        Duration.ZERO,
                        Duration.ZERO,
                        Optional.of(error)));
        return new ModelException(error);
    }

    private CircuitBreaker breakerFor(ModelConfig model) {
        PolicyBreaker current = breakers.get(model.alias());
        if (current != null && current.policy().equals(model.circuit())) {
            return current.breaker();
        }
        return breakers.compute(
                        model.alias(),
                        (alias, existing) ->
                                existing != null && existing.policy().equals(model.circuit())
                                        ? existing
                                        : new PolicyBreaker(model.circuit(), create(alias, model.circuit())))
                .breaker();
    }

    private CircuitBreaker create(String alias, CircuitPolicy policy) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow(policy.window(), policy.minCalls(), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold((float) (policy.failureRate() * 100))
                .waitDurationInOpenState(policy.openFor())
                .permittedNumberOfCallsInHalfOpenState(policy.probes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .slowCallDurationThreshold(NEVER_SLOW)
                .recordException(CircuitBreakerInterceptor::recordsAsFailure)
                .ignoreException(CircuitBreakerInterceptor::saysNothingAboutTheModel)
                .clock(clock.withZone(ZoneOffset.UTC))
                .currentTimestampFunction(ignored -> clock.nanoTime(), TimeUnit.NANOSECONDS)
                .writableStackTraceEnabled(false)
                .build();
        return CircuitBreaker.of(alias, config);
    }

    private record PolicyBreaker(CircuitPolicy policy, CircuitBreaker breaker) {}
}
