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

    private final MeterCache<Timer> durations;
    private final MeterCache<Timer> overheads;

    public GatewayMetrics(MeterRegistry registry) {
        Objects.requireNonNull(registry);
        this.durations = new MeterCache<>(tags -> Timer.builder("pipewright.gateway.request.duration")
                .description("Time to serve a request, by matched route pattern, method and status")
                .tags("route", tags.get(0), "method", tags.get(1), "status", tags.get(2))
                .serviceLevelObjectives(ModelCallMetrics.SLO_BUCKETS)
                .register(registry));
        this.overheads = new MeterCache<>(tags -> Timer.builder("pipewright.gateway.overhead")
                .description("Time a request spent outside model calls: the gateway's own cost")
                .tags("route", tags.get(0))
                .serviceLevelObjectives(OVERHEAD_BUCKETS)
                .register(registry));
    }

    public void record(String route, String method, int status, Duration total, Duration inModelCalls) {
        durations.get(route, method, Integer.toString(status)).record(total);
        Duration overhead = total.minus(inModelCalls);
        overheads.get(route).record(overhead.isNegative() ? Duration.ZERO : overhead);
    }
}
