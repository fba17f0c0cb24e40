package dev.pipewright.resilience;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Tries the invocation's model, then the fallbacks of that primary model in their configured order, each through the
 * rest of the chain (its own circuit breaker, retries and timeout). Whether a failure moves on to the next model is
 * decided in one place, {@link #movesOn}. A model that answered "context length exceeded" teaches the chain that the
 * input does not fit its window, so later models whose known window is no larger are skipped without a call. When no
 * model answers, the last error is thrown. Once a streamed answer has started to reach the caller, it stays with its
 * model: a failure then ends the call. Thread safe.
 */
public final class FallbackInterceptor implements ModelInterceptor {
    private final Function<String, ModelConfig> models;

    public FallbackInterceptor(Function<String, ModelConfig> models) {
        this.models = Objects.requireNonNull(models);
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation primary = chain.invocation();
        ModelException last;
        OptionalInt tooSmallWindow;
        try {
            return chain.proceed(primary);
        } catch (ModelException e) {
            last = e;
            tooSmallWindow = windowThatWasTooSmall(e.error(), primary.model(), OptionalInt.empty());
        }
        for (String alias : primary.model().fallbacks()) {
            if (!movesOn(last.error()) || primary.streamStarted()) {
                throw last;
            }
            ModelConfig next = models.apply(alias);
            if (cannotFit(next, tooSmallWindow)) {
                continue;
            }
            try {
                return chain.proceed(primary.withModel(next));
            } catch (ModelException e) {
                last = e;
                tooSmallWindow = windowThatWasTooSmall(e.error(), next, tooSmallWindow);
            }
        }
        throw last;
    }

    /**
     * Whether a failure of one model sends the call to the next one. A failure reaches this link only after the
     * model's own retries were spent.
     */
    static boolean movesOn(ModelError error) {
        return switch (error) {
            // The model or its provider is struggling; another provider may be fine.
            case ModelError.RateLimited rateLimited -> true;
            case ModelError.Unavailable unavailable -> true;
            case ModelError.Timeout timeout -> true;
            case ModelError.ConnectionReset connectionReset -> true;
            // The model was not tried at all; its fallbacks exist for exactly this.
            case ModelError.CircuitOpen circuitOpen -> true;
            // A larger window may take the input; cannotFit skips the ones that cannot.
            case ModelError.ContextLengthExceeded contextLength -> true;
            // A bad key or a spent quota belongs to one provider account; another provider has its own.
            case ModelError.AuthFailed authFailed -> true;
            // Another model will not fix a malformed request.
            case ModelError.InvalidRequest invalidRequest -> false;
            // Content policy must never be bypassed by asking a more permissive model.
            case ModelError.ContentFiltered contentFiltered -> false;
            // The caller's time is up (or the call was cancelled): nothing more is tried.
            case ModelError.DeadlineExceeded deadlineExceeded -> false;
        };
    }

    private static OptionalInt windowThatWasTooSmall(ModelError error, ModelConfig failed, OptionalInt known) {
        if (!(error instanceof ModelError.ContextLengthExceeded)
                || failed.contextWindow().isEmpty()) {
            return known;
        }
        int window = failed.contextWindow().getAsInt();
        return OptionalInt.of(Math.max(window, known.orElse(window)));
    }

    /** A model whose window is unknown, or whose window is unknown to be too small, is worth a try. */
    private static boolean cannotFit(ModelConfig candidate, OptionalInt tooSmallWindow) {
        return tooSmallWindow.isPresent()
                && candidate.contextWindow().isPresent()
                && candidate.contextWindow().getAsInt() <= tooSmallWindow.getAsInt();
    }
}
