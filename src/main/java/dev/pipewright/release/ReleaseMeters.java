package dev.pipewright.release;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Per-variant metrics of deployed pipelines: {@code pipewright.release.runs} (pipeline, variant, outcome), {@code
 * pipewright.release.run.duration} (pipeline, variant), {@code pipewright.release.cost} in USD (pipeline, variant),
 * and {@code pipewright.release.shadow.runs} (pipeline, candidate, outcome: succeeded, failed, dropped, cancelled). Variants are
 * names from the configuration, so the tags stay few.
 */
final class ReleaseMeters {
    private final MeterRegistry registry;

    ReleaseMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void served(String pipeline, String variant, boolean failed, Duration latency, double costUsd) {
        Counter.builder("pipewright.release.runs")
                .description("Runs of deployed pipelines by the variant that served them")
                .tags("pipeline", pipeline, "variant", variant, "outcome", failed ? "failed" : "succeeded")
                .register(registry)
                .increment();
        Timer.builder("pipewright.release.run.duration")
                .description("Time of runs of deployed pipelines by variant")
                .tags("pipeline", pipeline, "variant", variant)
                .register(registry)
                .record(latency);
        Counter.builder("pipewright.release.cost")
                .description("Cost of runs of deployed pipelines by variant")
                .baseUnit("usd")
                .tags("pipeline", pipeline, "variant", variant)
                .register(registry)
                .increment(costUsd);
    }

    void shadow(String pipeline, String candidate, String outcome) {
        Counter.builder("pipewright.release.shadow.runs")
                .description("Shadow runs of candidates, and copies dropped by the shadow limits")
                .tags("pipeline", pipeline, "candidate", candidate, "outcome", outcome)
                .register(registry)
                .increment();
    }
}
