package dev.pipewright.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.TelemetryConfig;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.Clock;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetrySettingsTest {
    private static final CallLabels LABELS = new CallLabels("acme", "two", "first", "req-1");

    @Test
    void with_metrics_off_nothing_is_recorded_and_the_scrape_is_empty() {
        // given
        try (Telemetry telemetry = Telemetry.from(new TelemetryConfig(false, false), Map.of(), Clock.system())) {
            // when
            telemetry.cost().record(LABELS, "sim", "chat", new BigDecimal("0.5"));
            telemetry.cache().hit("two");

            // then
            assertThat(telemetry.registry().getMeters()).isEmpty();
            assertThat(telemetry.metrics().scrape()).isBlank();
        }
    }

    @Test
    void with_metrics_on_the_same_records_are_scraped_beside_the_jvm_meters() {
        // given
        try (Telemetry telemetry = Telemetry.from(TelemetryConfig.DEFAULT, Map.of(), Clock.system())) {
            // when
            telemetry.cost().record(LABELS, "sim", "chat", new BigDecimal("0.5"));

            // then
            assertThat(telemetry.metrics().scrape()).contains("pipewright_cost_usd_total{", "jvm_memory_used_bytes");
        }
    }
}
