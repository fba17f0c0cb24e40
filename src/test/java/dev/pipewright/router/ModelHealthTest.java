package dev.pipewright.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelHealthTest {
    private static final Instant NOON = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void knows_nothing_of_a_model_never_called() {
        assertThat(new ModelHealth().observed("a")).isEqualTo(ModelHealth.Observation.NONE);
    }

    @Test
    void the_average_latency_moves_a_weighted_step_towards_each_new_answer() {
        // given
        ModelHealth health = new ModelHealth();
        health.recordSuccess("a", NOON, Duration.ofMillis(100));

        // when
        health.recordSuccess("a", NOON.plusSeconds(1), Duration.ofMillis(200));

        // then: 0.3 × 200 + 0.7 × 100
        assertThat(health.observed("a").averageLatency()).hasValue(Duration.ofMillis(130));
        assertThat(health.observed("a").lastSuccess()).hasValue(NOON.plusSeconds(1));
    }

    @Test
    void a_failure_keeps_the_last_success() {
        // given
        ModelHealth health = new ModelHealth();
        health.recordSuccess("a", NOON, Duration.ofMillis(100));

        // when
        health.recordFailure("a", NOON.plusSeconds(9), "timeout");

        // then
        assertThat(health.observed("a"))
                .isEqualTo(new ModelHealth.Observation(
                        Optional.of(NOON),
                        Optional.of(NOON.plusSeconds(9)),
                        Optional.of("timeout"),
                        Optional.of(Duration.ofMillis(100))));
    }
}
