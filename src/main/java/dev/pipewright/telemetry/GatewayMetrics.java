package dev.pipewright.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * The gateway's meters:
 *
 * <ul>
 *   <li>{@code pipewright.gateway.request.duration} (histogram; route, method, status): the route is the matched
 *       route pattern such as {@code /v1/pipelines/{name}}, never the raw path; {@code unmatched} when none matched.
 *   <li>{@code pipewright.gateway.overhead} (histogram; route): the request's time minus the time it spent in model
 *       calls ({@link ModelTimeAccount}), that is parsing, routing, templating, serialising and waiting for threads.
 * </ul>
 */
public final class GatewayMetrics {
    private static final Duration[] OVERHEAD_BUCKETS = {
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofSeconds(1)
    };

    private final MeterRegistry registry;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
    }

    public void record(String route, String method, int status, Duration total, Duration inModelCalls) {
        Timer.builder("pipewright.gateway.request.duration")
                .description("Time to serve a request, by matched route pattern, method and status")
                .tags("route", route, "method", method, "status", Integer.toString(status))
                .serviceLevelObjectives(ModelCallMetrics.SLO_BUCKETS)
                .register(registry)
                .record(total);
        Duration overhead = total.minus(inModelCalls);
        Timer.builder("pipewright.gateway.overhead")
                .description("Time a request spent outside model calls: the gateway's own cost")
                .tags("route", route)
                .serviceLevelObjectives(OVERHEAD_BUCKETS)
                .register(registry)
                .record(overhead.isNegative() ? Duration.ZERO : overhead);
    }
}
