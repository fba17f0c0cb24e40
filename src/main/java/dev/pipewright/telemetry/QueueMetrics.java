package dev.pipewright.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.concurrent.TimeUnit;

/**
 * The queue's gauges: {@code pipewright.queue.depth}, {@code pipewright.queue.in.flight},
 * {@code pipewright.queue.oldest.waiting} (seconds) and {@code pipewright.queue.dead.letters}.
 */
public final class QueueMetrics {
    private QueueMetrics() {}

    public static void register(MeterRegistry registry, QueueGauges queue) {
        Gauge.builder("pipewright.queue.depth", queue::depth)
                .description("Jobs waiting to be claimed")
                .register(registry);
        Gauge.builder("pipewright.queue.in.flight", queue::inFlight)
                .description("Jobs claimed by a worker and not yet finished")
                .register(registry);
        TimeGauge.builder(
                        "pipewright.queue.oldest.waiting",
                        queue,
                        TimeUnit.NANOSECONDS,
                        q -> q.oldestWaiting().toNanos())
                .description("How long the oldest waiting job has waited")
                .register(registry);
        Gauge.builder("pipewright.queue.dead.letters", queue::deadLetters)
                .description("Jobs in the dead letter queue")
                .register(registry);
    }
}
