package dev.pipewright.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.testing.FakeClock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class ResilienceChainTest {

    @Test
    void orders_deadline_fallback_circuit_retry_timeout_and_shares_the_given_breakers() {
        // given
        FakeClock clock = new FakeClock();
        CircuitBreakerInterceptor breakers = new CircuitBreakerInterceptor(clock);
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        try {
            // when
            List<ModelInterceptor> chain = ResilienceChain.standard(
                    alias -> {
                        throw new IllegalArgumentException(alias);
                    },
                    clock,
                    new SplittableRandom(1),
                    watchdog,
                    breakers);

            // then
            assertThat(chain)
                    .extracting(link -> link.getClass().getSimpleName())
                    .containsExactly(
                            "DeadlineInterceptor",
                            "FallbackInterceptor",
                            "CircuitBreakerInterceptor",
                            "RetryInterceptor",
                            "TimeoutInterceptor");
            assertThat(chain.get(2)).isSameAs(breakers);
        } finally {
            watchdog.shutdownNow();
        }
    }
}
