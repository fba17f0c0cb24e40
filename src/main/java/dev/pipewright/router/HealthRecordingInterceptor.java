package dev.pipewright.router;

import dev.pipewright.model.Clock;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@code ModelCall} link that records each model's outcomes in {@link ModelHealth}. It belongs right inside the
 * fallback link (deadline ⊃ fallback ⊃ health ⊃ circuit breaker ⊃ retry ⊃ timeout), so it sees one call per model
 * with all its retries: the latency it records is what a caller waits for that model, and a fallback's outcome is
 * recorded against the fallback.
 */
public final class HealthRecordingInterceptor implements ModelInterceptor {
    private final ModelHealth health;
    private final Clock clock;

    public HealthRecordingInterceptor(ModelHealth health, Clock clock) {
        this.health = Objects.requireNonNull(health);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation invocation = chain.invocation();
        String alias = invocation.model().alias();
        long start = clock.nanoTime();
        try {
            ModelResponse response = chain.proceed(invocation);
            health.recordSuccess(alias, clock.instant(), Duration.ofNanos(clock.nanoTime() - start));
            return response;
        } catch (ModelException e) {
            switch (outcomeOf(e.error())) {
                case ANSWERED ->
                    health.recordSuccess(alias, clock.instant(), Duration.ofNanos(clock.nanoTime() - start));
                case UNHEALTHY ->
                    health.recordFailure(alias, clock.instant(), e.error().kind());
                case SAYS_NOTHING -> {}
            }
            throw e;
        }
    }

    private enum Outcome {
        ANSWERED,
        UNHEALTHY,
        SAYS_NOTHING
    }

    /**
     * The model is up when it answered, even with a refusal of the request; a refused call (open circuit) or the
     * caller's deadline tell nothing about it.
     */
    private static Outcome outcomeOf(ModelError error) {
        return switch (error) {
            case ModelError.InvalidRequest invalid -> Outcome.ANSWERED;
            case ModelError.ContextLengthExceeded contextLength -> Outcome.ANSWERED;
            case ModelError.ContentFiltered filtered -> Outcome.ANSWERED;
            case ModelError.RateLimited rateLimited -> Outcome.UNHEALTHY;
            case ModelError.Unavailable unavailable -> Outcome.UNHEALTHY;
            case ModelError.Timeout timeout -> Outcome.UNHEALTHY;
            case ModelError.ConnectionReset reset -> Outcome.UNHEALTHY;
            case ModelError.AuthFailed authFailed -> Outcome.UNHEALTHY;
            case ModelError.CircuitOpen circuitOpen -> Outcome.SAYS_NOTHING;
            case ModelError.DeadlineExceeded deadlineExceeded -> Outcome.SAYS_NOTHING;
        };
    }
}
