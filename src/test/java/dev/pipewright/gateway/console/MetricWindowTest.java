package dev.pipewright.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pipewright.testing.FakeClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricWindowTest {
    private final FakeClock clock = new FakeClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void quantiles_are_interpolated_inside_the_bucket_where_the_share_is_reached() {
        // given: 10 calls under 100 ms, 10 between 100 and 200 ms
        double[] bounds = {100, 200, 400};
        double[] cumulative = {10, 20, 20};

        // when / then
        assertThat(MetricWindow.quantile(0.5, 20, bounds, cumulative))
                .hasValueSatisfying(p50 -> assertThat(p50).isCloseTo(100, within(0.001)));
        assertThat(MetricWindow.quantile(0.95, 20, bounds, cumulative))
                .hasValueSatisfying(p95 -> assertThat(p95).isCloseTo(190, within(0.001)));
        assertThat(MetricWindow.quantile(0.5, 0, bounds, cumulative)).isEmpty();
    }

    @Test
    void a_quantile_beyond_the_last_bucket_is_the_last_bound() {
        assertThat(MetricWindow.quantile(0.95, 10, new double[] {100}, new double[] {5}))
                .isEqualTo(Optional.of(100.0));
    }

    @Test
    void rates_count_only_the_calls_since_the_latest_reading_at_least_a_window_old() {
        // given: readings every ten minutes, with calls between them
        record(registry, "chat", "success", 50, 4);
        MetricWindow window = new MetricWindow(registry, clock);
        record(registry, "chat", "success", 50, 3);
        advance(Duration.ofMinutes(10));
        window.stats();
        record(registry, "chat", "error", 300, 2);
        advance(Duration.ofMinutes(10));
        window.stats();
        record(registry, "chat", "success", 50, 2);
        advance(Duration.ofMinutes(10));

        // when
        MetricWindow.Stats stats = window.stats();

        // then: the window starts at the reading twenty minutes ago, the latest one that covers fifteen minutes
        assertThat(stats.span()).isEqualTo(Duration.ofMinutes(20));
        MetricWindow.ModelRates chat = stats.models().get("chat");
        assertThat(chat.calls()).isEqualTo(4);
        assertThat(chat.errorRate()).isEqualTo(0.5);
        assertThat(chat.p95Ms()).hasValueSatisfying(p95 -> assertThat(p95).isGreaterThan(250));
    }

    private void advance(Duration duration) {
        try {
            clock.sleep(duration);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void record(MeterRegistry registry, String model, String outcome, long millis, int times) {
        Timer timer = Timer.builder("pipewright.model.call.duration")
                .tags("provider", "sim", "model", model, "outcome", outcome)
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500))
                .register(registry);
        for (int i = 0; i < times; i++) {
            timer.record(Duration.ofMillis(millis));
        }
    }
}
