package dev.pipewright.resilience;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelInterceptor;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** The order of the resilience links, written down once. */
public final class ResilienceChain {

    private ResilienceChain() {}

    /**
     * Deadline ⊃ fallback chain ⊃ per model (circuit breaker ⊃ retry ⊃ timeout), ready to be the resilience part of
     * a {@code ModelCall}'s interceptors. {@code breakers} is passed in so that health reporting can share it.
     */
    public static List<ModelInterceptor> standard(
            Function<String, ModelConfig> models,
            Clock clock,
            RandomGenerator random,
            ScheduledExecutorService watchdog,
            CircuitBreakerInterceptor breakers) {
        return List.of(
                new DeadlineInterceptor(),
                new FallbackInterceptor(models),
                breakers,
                new RetryInterceptor(clock, random),
                new TimeoutInterceptor(clock, watchdog));
    }
}
